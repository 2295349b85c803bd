/**
 * Reference: every command-line flag of the local cluster, the artifact server, the tutorial
 * programs and the examples. A test checks each table against the options the program declares, so a flag cannot
 * be added, removed or given another default without this page changing too.
 *
 * <h2 id="backends">Every scheduler: where the master is</h2>
 * <p>Parsed by {@link dev.mesoskit.core.Backends#fromArgs} (as {@code --name=value} or
 * {@code --name value}) and taken by every tutorial program; other options are left to the
 * program. Chapter 6 explains them.
 * <table class="striped" id="flags-backends">
 * <caption>Options of {@code Backends.fromArgs}</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --master}</th><td>{@code local}</td><td>{@code local} (the embedded
 *   cluster of sdk-local), {@code host:port[,host:port]}, {@code http(s)://host:port} or
 *   {@code zk://host:port[,host:port]/path}</td></tr>
 * <tr><th scope="row">{@code --driver}</th><td>{@code http}</td><td>{@code http}: the v1 HTTP API
 *   in pure Java; {@code native}: libmesos through {@code MESOS_NATIVE_JAVA_LIBRARY}</td></tr>
 * <tr><th scope="row">{@code --principal}</th><td>none</td><td>authenticate as this principal
 *   (HTTP Basic, or SASL CRAM-MD5 with the native driver)</td></tr>
 * <tr><th scope="row">{@code --secret-file}</th><td>none</td><td>the file holding the principal's
 *   secret; needs {@code --principal}</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="mesoskit-local">The standalone local cluster</h2>
 * <p>{@code java -jar sdk-local/target/mesoskit-local.jar [flags]}
 * ({@link dev.mesoskit.local.LocalClusterMain}): a master and agents on this machine, like
 * {@code mesos-local}, until interrupted. It prints the {@code --master=} value to give schedulers.
 * <table class="striped" id="flags-mesoskit-local">
 * <caption>Options of mesoskit-local</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --agents}</th><td>{@code 2}</td><td>number of agents, 1 to
 *   64</td></tr>
 * <tr><th scope="row">{@code --resources}</th><td>none</td><td>each agent's resources in Mesos
 *   syntax, e.g. {@code cpus:4;mem:4096;disk:10240;ports:[31000-31999]}; without it each agent
 *   gets the machine's cpus, an equal share of its memory (at most 8 GB), 10 GB of disk and an
 *   equal share of ports 31000-32000 (a Mesos agent's default)</td></tr>
 * <tr><th scope="row">{@code --attributes}</th><td>none</td><td>each agent's attributes, e.g.
 *   {@code rack:r1;zone:a}</td></tr>
 * <tr><th scope="row">{@code --port}</th><td>{@code 5050}</td><td>the master's port; 0 takes a
 *   free one</td></tr>
 * <tr><th scope="row">{@code --host}</th><td>{@code 127.0.0.1}</td><td>the address master and
 *   agents bind and advertise</td></tr>
 * <tr><th scope="row">{@code --work-dir}</th><td>none</td><td>where sandboxes go; without it a
 *   temporary directory, removed on exit</td></tr>
 * <tr><th scope="row">{@code --heartbeat-seconds}</th><td>{@code 15}</td><td>the heartbeat
 *   interval on scheduler connections</td></tr>
 * <tr><th scope="row">{@code --gc-delay-seconds}</th><td>{@code 600}</td><td>how long a
 *   finished executor's or command task's sandbox is kept at most before agents delete it, as
 *   Mesos' {@code --gc_delay} (whose default is a week); 0 deletes it as soon as it ends</td></tr>
 * <tr><th scope="row">{@code --gc-disk-headroom}</th><td>{@code 0.1}</td><td>the share of the
 *   disk to keep free, 0.0 to 1.0, as Mesos' {@code --gc_disk_headroom}: a sandbox is kept
 *   {@code gc-delay * max(0, 1 - headroom - disk usage)}, the disk usage read every
 *   minute</td></tr>
 * <tr><th scope="row">{@code --authenticate-executors}</th><td>{@code true}</td><td>agents
 *   give each executor a token ({@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}) and refuse executor
 *   calls without it, as Mesos' {@code --authenticate_http_executors};
 *   {@code --no-authenticate-executors} turns it off</td></tr>
 * <tr><th scope="row">{@code --container-runtime}</th><td>{@code AUTO}</td><td>what runs
 *   command tasks with a container image: {@code auto} (podman when it works on this machine),
 *   {@code podman} (or fail at start), {@code none} (such tasks fail, saying that a Mesos agent
 *   with a container runtime is needed); case-insensitive</td></tr>
 * <tr><th scope="row">{@code --master-domain}</th><td>none</td><td>the master's fault domain
 *   {@code REGION:ZONE}, as Mesos' {@code --domain}: agents in another region are offered only
 *   to frameworks with {@code REGION_AWARE}</td></tr>
 * <tr><th scope="row">{@code --agent-domain}</th><td>none</td><td>{@code N=REGION:ZONE}: agent
 *   N's fault domain (1 is {@code agent-1}), carried by its offers; repeatable; needs
 *   {@code --master-domain}</td></tr>
 * <tr><th scope="row">{@code --agent-resources}</th><td>none</td><td>{@code N=RESOURCES}: agent
 *   N's own resources instead of {@code --resources}, e.g. {@code 1=cpus:2;mem:1024;gpus:1};
 *   repeatable</td></tr>
 * <tr><th scope="row">{@code --isolated-network}</th><td>{@code false}</td><td>puts each agent,
 *   and every executor and task it starts, in a network namespace of its own with an address on
 *   a private bridge, so that everything is reached through non-loopback addresses as on a real
 *   cluster ({@linkplain dev.mesoskit.tutorial.chapter6 chapter 6}); needs root, iproute2's
 *   {@code ip} and curl; not with {@code --host}</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and
 *   exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and
 *   exits (no version is set yet: it prints nothing)</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="mesoskit-cli">The mesoskit command line</h2>
 * <p>{@code java -jar mesoskit-cli/target/mesoskit.jar COMMAND [flags]}
 * ({@link dev.mesoskit.tutorial.chapter9 chapter 9}): looks into any Mesos cluster (or a local
 * one) through Mesos' v1 operator API; {@code --json} prints the master's own answer. Exit codes:
 * 0 done, 1 failed (the reason on stderr), 2 wrong usage. {@code mesoskit local} takes the flags
 * of the <a href="#mesoskit-local">standalone local cluster</a>; {@code mesoskit
 * generate-completion} prints a bash/zsh completion script.
 * <table class="striped" id="flags-mesoskit-agents">
 * <caption>Options of mesoskit agents</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --json}</th><td>{@code false}</td><td>prints the master's {@code GET_AGENTS} answer as JSON</td></tr>
 * <tr><th scope="row">{@code -m}, {@code --master}</th><td>{@code ${env:MESOS_MASTER:-127.0.0.1:5050}}</td><td>the Mesos master: {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port} or {@code zk://host:port/path}; by default the environment's {@code MESOS_MASTER}, else {@code 127.0.0.1:5050}</td></tr>
 * <tr><th scope="row">{@code --timeout-seconds}</th><td>{@code 10}</td><td>how long to wait for each answer of the master or an agent</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits</td></tr>
 * </tbody>
 * </table>
 * <table class="striped" id="flags-mesoskit-frameworks">
 * <caption>Options of mesoskit frameworks</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code -a}, {@code --all}</th><td>{@code false}</td><td>also lists completed (torn down) frameworks</td></tr>
 * <tr><th scope="row">{@code --json}</th><td>{@code false}</td><td>prints the master's {@code GET_FRAMEWORKS} answer as JSON</td></tr>
 * <tr><th scope="row">{@code -m}, {@code --master}</th><td>{@code ${env:MESOS_MASTER:-127.0.0.1:5050}}</td><td>the Mesos master: {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port} or {@code zk://host:port/path}; by default the environment's {@code MESOS_MASTER}, else {@code 127.0.0.1:5050}</td></tr>
 * <tr><th scope="row">{@code --timeout-seconds}</th><td>{@code 10}</td><td>how long to wait for each answer of the master or an agent</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits</td></tr>
 * </tbody>
 * </table>
 * <table class="striped" id="flags-mesoskit-tasks">
 * <caption>Options of mesoskit tasks</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code -f}, {@code --framework}</th><td>none</td><td>only the tasks of this framework</td></tr>
 * <tr><th scope="row">{@code -s}, {@code --state}</th><td>none</td><td>only tasks in this state: {@code running}, {@code finished}, ... or {@code TASK_RUNNING}, ...</td></tr>
 * <tr><th scope="row">{@code --json}</th><td>{@code false}</td><td>prints the master's {@code GET_TASKS} answer as JSON, filtered the same way</td></tr>
 * <tr><th scope="row">{@code -m}, {@code --master}</th><td>{@code ${env:MESOS_MASTER:-127.0.0.1:5050}}</td><td>the Mesos master: {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port} or {@code zk://host:port/path}; by default the environment's {@code MESOS_MASTER}, else {@code 127.0.0.1:5050}</td></tr>
 * <tr><th scope="row">{@code --timeout-seconds}</th><td>{@code 10}</td><td>how long to wait for each answer of the master or an agent</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits</td></tr>
 * </tbody>
 * </table>
 * <table class="striped" id="flags-mesoskit-logs">
 * <caption>Options of mesoskit logs TASK</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code -f}, {@code --framework}</th><td>none</td><td>the task's framework, when several frameworks have a task of this id</td></tr>
 * <tr><th scope="row">{@code --stderr}</th><td>{@code false}</td><td>prints stderr instead of stdout</td></tr>
 * <tr><th scope="row">{@code --tail}</th><td>none</td><td>prints only the last N lines</td></tr>
 * <tr><th scope="row">{@code --follow}</th><td>{@code false}</td><td>keeps printing what the task writes until it ends (then exits 0) or until interrupted</td></tr>
 * <tr><th scope="row">{@code -m}, {@code --master}</th><td>{@code ${env:MESOS_MASTER:-127.0.0.1:5050}}</td><td>the Mesos master: {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port} or {@code zk://host:port/path}; by default the environment's {@code MESOS_MASTER}, else {@code 127.0.0.1:5050}</td></tr>
 * <tr><th scope="row">{@code --timeout-seconds}</th><td>{@code 10}</td><td>how long to wait for each answer of the master or an agent</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits</td></tr>
 * </tbody>
 * </table>
 * <table class="striped" id="flags-mesoskit-teardown">
 * <caption>Options of mesoskit teardown FRAMEWORK_ID</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code -m}, {@code --master}</th><td>{@code ${env:MESOS_MASTER:-127.0.0.1:5050}}</td><td>the Mesos master: {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port} or {@code zk://host:port/path}; by default the environment's {@code MESOS_MASTER}, else {@code 127.0.0.1:5050}</td></tr>
 * <tr><th scope="row">{@code --timeout-seconds}</th><td>{@code 10}</td><td>how long to wait for each answer of the master or an agent</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="mesoskit-artifacts">The standalone artifact server</h2>
 * <p>{@code java -jar sdk-artifacts/target/sdk-artifacts-0.1.0-SNAPSHOT-server.jar [flags]}
 * ({@link dev.mesoskit.artifacts.ArtifactServerCommand}), for several frameworks sharing one
 * server. It prints {@code MESOSKIT_ARTIFACTS_URL=...} once it listens.
 * <table class="striped" id="flags-mesoskit-artifacts">
 * <caption>Options of mesoskit-artifacts</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --dir}</th><td>none</td><td>required: the directory to serve and
 *   store uploads in; created when missing</td></tr>
 * <tr><th scope="row">{@code --port}</th><td>{@code 8080}</td><td>the port; 0 takes a free
 *   one</td></tr>
 * <tr><th scope="row">{@code --bind}</th><td>{@code 0.0.0.0}</td><td>the address to listen
 *   on</td></tr>
 * <tr><th scope="row">{@code --advertise}</th><td>none</td><td>the host put in URIs, one agents
 *   on other hosts can reach; without it the bind address, or this machine's host name when
 *   binding every interface</td></tr>
 * <tr><th scope="row">{@code --token-file}</th><td>none</td><td>the file holding the upload
 *   token, written (mode 600) when missing; without it {@code $MESOSKIT_ARTIFACTS_TOKEN}, or a new
 *   token printed once</td></tr>
 * <tr><th scope="row">{@code --max-upload-bytes}</th><td>{@code 1073741824}</td><td>the largest
 *   upload (1 GiB)</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and
 *   exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and
 *   exits</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="real-cluster">Chapter 6's program</h2>
 * <p>{@code java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter6.RealCluster [flags]}
 * ({@link dev.mesoskit.tutorial.chapter6.RealCluster}). The other tutorial programs take only the
 * {@linkplain dev.mesoskit.tutorial.reference scheduler flags} above, and chapter 3's
 * {@code --packing=binpack|spread|firstfit}.
 * <table class="striped" id="flags-real-cluster">
 * <caption>Options of real-cluster</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --master}</th><td>{@code local}</td><td>as for every scheduler,
 *   above</td></tr>
 * <tr><th scope="row">{@code --driver}</th><td>{@code http}</td><td>as for every scheduler,
 *   above</td></tr>
 * <tr><th scope="row">{@code --principal}</th><td>none</td><td>as for every scheduler,
 *   above</td></tr>
 * <tr><th scope="row">{@code --secret-file}</th><td>none</td><td>as for every scheduler,
 *   above</td></tr>
 * <tr><th scope="row">{@code --state-dir}</th><td>{@code tutorial-state}</td><td>where the
 *   framework id file and the artifacts go</td></tr>
 * <tr><th scope="row">{@code --bind}</th><td>none</td><td>the artifact server's bind address;
 *   without it 127.0.0.1 with {@code --master=local}, else 0.0.0.0</td></tr>
 * <tr><th scope="row">{@code --advertise}</th><td>none</td><td>the artifact server's host in
 *   URIs; without it the bind address, or this machine's host name when binding 0.0.0.0</td></tr>
 * <tr><th scope="row">{@code --failover-timeout}</th><td>{@code PT168H}</td><td>how long the
 *   master keeps the tasks after the scheduler disconnects, ISO-8601 (7 days)</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and
 *   exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and
 *   exits</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="image-invert">The image-invert example (chapter 4)</h2>
 * <p>{@code java -jar examples/image-invert/target/image-invert.jar [flags]}: one task per image,
 * inverses written to {@code --output}. Exit codes: 0 no image failed (inputs that are no image
 * or a format Java cannot read are skipped, and named in the summary), 1 some failed, 2 bad
 * usage.
 * <table class="striped" id="flags-image-invert">
 * <caption>Options of image-invert</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --master}</th><td>{@code local}</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --driver}</th><td>{@code http}</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --principal}</th><td>none</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --secret-file}</th><td>none</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --framework-id-file}</th><td>none</td><td>where the framework id is kept for failover; without it in memory with {@code --master=local}, else {@code <output>/.framework-id}</td></tr>
 * <tr><th scope="row">{@code --framework-state-dir}</th><td>none</td><td>a file state store: the framework id and every task, so that a restarted program recovers its tasks without submitting them again; without it in memory with {@code --master=local}, none when {@code --framework-id-file} is given (the id alone is kept), else {@code <output>/.framework-id.state}</td></tr>
 * <tr><th scope="row">{@code --fresh}</th><td>{@code false}</td><td>tear down the framework of the last run (the id in the state store or framework id file) and its tasks before starting, instead of failing over to it and adopting them</td></tr>
 * <tr><th scope="row">{@code --address}</th><td>none</td><td>the artifact server's bind address; without it 127.0.0.1 with {@code --master=local}, else 0.0.0.0</td></tr>
 * <tr><th scope="row">{@code --advertise}</th><td>none</td><td>the artifact server's host in URIs, one every agent can reach; without it the bind address, or, without {@code --address} and for a master elsewhere, this machine's address on the route to the master (a loopback-only result refuses to start)</td></tr>
 * <tr><th scope="row">{@code --executor-jar}</th><td>none</td><td>the jar agents fetch and run the executor from; without it {@code image-invert-executor.jar} beside the program's jar, which names it in its manifest (4.9 MB of the executor's classes instead of the program's 25 MB)</td></tr>
 * <tr><th scope="row">{@code --executor-java}</th><td>none</td><td>the java agents start the executor with; without it this JVM's {@code bin/java} when the master is {@code local} or on this machine, else {@code java} from the agents' {@code PATH}</td></tr>
 * <tr><th scope="row">{@code --executor-jvm-option}</th><td>none</td><td>a JVM option for the executor, after the program's own (so {@code -Xmx2g} replaces its heap size); repeatable</td></tr>
 * <tr><th scope="row">{@code --status-port}</th><td>none</td><td>serves a live status page of the framework on this port of {@code --address} (127.0.0.1 without it; 0 takes a free port); the program prints its URL</td></tr>
 * <tr><th scope="row">{@code --metrics-port}</th><td>none</td><td>serves the framework's metrics in Prometheus' text format at {@code /metrics} on this port of {@code --address} (127.0.0.1 without it; 0 takes a free port); the program prints its URL</td></tr>
 * <tr><th scope="row">{@code --images}</th><td>{@code [images]}</td><td>a directory, a file with one URL or path per line ({@code #} comments), or URLs (http, https, file); the default is the list of the one directory {@code images}</td></tr>
 * <tr><th scope="row">{@code --output}</th><td>{@code inverted}</td><td>where the inverses and the gallery {@code index.html} go</td></tr>
 * <tr><th scope="row">{@code --state-dir}</th><td>none</td><td>where finished images are recorded, so a rerun skips them; without it {@code <output>/.state}</td></tr>
 * <tr><th scope="row">{@code --cpus}</th><td>{@code 0.5}</td><td>cpus per task</td></tr>
 * <tr><th scope="row">{@code --mem}</th><td>{@code 256}</td><td>memory per task, MB</td></tr>
 * <tr><th scope="row">{@code --max-bytes}</th><td>{@code 52428800}</td><td>the largest image download (50 MiB); a larger one fails its task</td></tr>
 * <tr><th scope="row">{@code --max-pixels}</th><td>{@code 40000000}</td><td>the largest width times height an image header may declare; checked before decoding</td></tr>
 * <tr><th scope="row">{@code --serve}</th><td>{@code false}</td><td>keep serving the gallery on the artifact server until Ctrl-C</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits (no version is set: it prints nothing)</td></tr>
 * </tbody>
 * </table>
 *
 * <h2 id="webserver">The webserver example (chapter 5)</h2>
 * <p>{@code java -jar examples/webserver/target/webserver.jar [flags]}: keeps web servers running
 * until SIGTERM or Ctrl-C, reading commands on stdin meanwhile: {@code instances N} scales to
 * N servers, {@code text NEW TEXT} replaces them one at a time by servers answering
 * {@code NEW TEXT} (see {@linkplain dev.mesoskit.tutorial.chapter5 chapter 5}); the end of stdin
 * only stops the reading. Exit codes: 0 stopped and every server ended KILLED, 1 a server ended
 * for good or the framework failed, 2 bad usage, 3 stopped but not every server confirmed KILLED
 * in time, 130/143 after a second Ctrl-C/SIGTERM.
 * <table class="striped" id="flags-webserver">
 * <caption>Options of webserver</caption>
 * <thead><tr><th scope="col">Flag</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code --master}</th><td>{@code local}</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --driver}</th><td>{@code http}</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --principal}</th><td>none</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --secret-file}</th><td>none</td><td>as for every scheduler, above</td></tr>
 * <tr><th scope="row">{@code --framework-id-file}</th><td>none</td><td>where the framework id is kept for failover; without it in memory with {@code --master=local}, else {@code ~/.mesoskit/frameworks/webserver/framework-id}</td></tr>
 * <tr><th scope="row">{@code --framework-state-dir}</th><td>none</td><td>a file state store: the framework id and every task, so that a restarted program recovers its tasks without submitting them again; without it in memory with {@code --master=local}, none when {@code --framework-id-file} is given (the id alone is kept), else {@code ~/.mesoskit/frameworks/webserver/framework-id.state}</td></tr>
 * <tr><th scope="row">{@code --fresh}</th><td>{@code false}</td><td>tear down the framework of the last run (the id in the state store or framework id file) and its tasks before starting, instead of failing over to it and adopting them</td></tr>
 * <tr><th scope="row">{@code --address}</th><td>none</td><td>the artifact server's bind address; without it 127.0.0.1 with {@code --master=local}, else 0.0.0.0</td></tr>
 * <tr><th scope="row">{@code --advertise}</th><td>none</td><td>the artifact server's host in URIs, one every agent can reach; without it the bind address, or, without {@code --address} and for a master elsewhere, this machine's address on the route to the master (a loopback-only result refuses to start)</td></tr>
 * <tr><th scope="row">{@code --executor-jar}</th><td>none</td><td>the jar agents fetch and run the executor from; without it {@code webserver-executor.jar} beside the program's jar, which names it in its manifest (4.9 MB of the executor's classes instead of the program's 25 MB)</td></tr>
 * <tr><th scope="row">{@code --executor-java}</th><td>none</td><td>the java agents start the executor with; without it this JVM's {@code bin/java} when the master is {@code local} or on this machine, else {@code java} from the agents' {@code PATH}</td></tr>
 * <tr><th scope="row">{@code --executor-jvm-option}</th><td>none</td><td>a JVM option for the executor, after the program's own (so {@code -Xmx2g} replaces its heap size); repeatable</td></tr>
 * <tr><th scope="row">{@code --status-port}</th><td>none</td><td>serves a live status page of the framework on this port of {@code --address} (127.0.0.1 without it; 0 takes a free port); the program prints its URL</td></tr>
 * <tr><th scope="row">{@code --metrics-port}</th><td>none</td><td>serves the framework's metrics in Prometheus' text format at {@code /metrics} on this port of {@code --address} (127.0.0.1 without it; 0 takes a free port); the program prints its URL</td></tr>
 * <tr><th scope="row">{@code --instances}</th><td>{@code 1}</td><td>how many servers to keep running</td></tr>
 * <tr><th scope="row">{@code --text}</th><td>{@code Hello from Server}</td><td>what the servers answer</td></tr>
 * <tr><th scope="row">{@code --cpus}</th><td>{@code 0.5}</td><td>cpus per server</td></tr>
 * <tr><th scope="row">{@code --mem}</th><td>{@code 128}</td><td>memory per server, MB</td></tr>
 * <tr><th scope="row">{@code --abort-on-failure}</th><td>{@code false}</td><td>stop everything and exit 1 when a server dies, instead of relaunching it</td></tr>
 * <tr><th scope="row">{@code --stop-timeout}</th><td>{@code 30}</td><td>seconds to wait, on stop, for every server to end KILLED (exit 3 otherwise)</td></tr>
 * <tr><th scope="row">{@code --teardown}</th><td>{@code false}</td><td>on stop, also tear the framework down, so no scheduler can fail over to it</td></tr>
 * <tr><th scope="row">{@code --image}</th><td>none</td><td>runs each server from this
 *   container image (one with busybox's {@code httpd}, e.g. {@code busybox:1.36}) as a shell
 *   command instead of the Java executor; on the local cluster this needs podman</td></tr>
 * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>prints the options and exits</td></tr>
 * <tr><th scope="row">{@code -V}, {@code --version}</th><td>none</td><td>prints the version and exits (no version is set: it prints nothing)</td></tr>
 * </tbody>
 * </table>
 */
package dev.mesoskit.tutorial.reference;
