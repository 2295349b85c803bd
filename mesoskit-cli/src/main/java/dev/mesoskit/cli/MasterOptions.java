package dev.mesoskit.cli;

import picocli.CommandLine.Option;

/** {@code --master} and {@code --timeout-seconds}, shared by the commands that talk to Mesos. */
final class MasterOptions {
  @Option(names = {"-m", "--master"}, paramLabel = "MASTER",
      defaultValue = "${env:MESOS_MASTER:-127.0.0.1:5050}",
      description = "the Mesos master: host:port, host:port,host:port, http(s)://host:port or"
          + " zk://host:port/path (default: $MESOS_MASTER or 127.0.0.1:5050)")
  String master;

  @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for each answer of the master or an agent (default:"
          + " ${DEFAULT-VALUE})")
  long timeoutSeconds;
}
