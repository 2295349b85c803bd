package dev.mesoskit.artifacts.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Starts a program's JVM again with JVM options of the program's choosing, since
 * {@code java -jar program.jar} takes none from the jar. The first thing in {@code main}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Relaunch.withOptions("image-invert", Relaunch.SCHEDULER_OPTIONS, args);
 *   System.exit(FrameworkMain.run(new InvertImages(), System.out, args));
 * }
 * }</pre>
 *
 * <p>When this JVM lacks one of the options, {@code withOptions} runs {@code <java.home>/bin/java
 * <the options it lacks> -Dmesoskit.relaunched=<this pid> <this JVM's own command line after
 * java, unchanged>} (so the user's JVM options, {@code -jar app.jar} or {@code -cp ... Main}, and
 * {@code args}) with this process' stdin, stdout and stderr, waits for it and exits with its exit
 * status: the program's output and exit status are the child's. The user's JVM options come after
 * the program's, so the user's choice wins for a flag both set, and an option whose flag the user
 * set (on the command line, in {@code JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS}) is not
 * added; the environment is passed on as it is (a JVM reading {@code JAVA_TOOL_OPTIONS} says so
 * on stderr, so that line appears twice).
 *
 * <p>It returns, and the program runs in this JVM, without a word when this JVM is the relaunched
 * child, when the user opted out ({@value #OFF_ENV}{@code =0} in the environment or
 * {@code -D}{@value #OFF_PROPERTY}{@code =false}), when the user set every option's flag, or when
 * a debugger or agent is attached ({@code -agentlib:jdwp=...}, {@code -javaagent:...}, on the
 * command line or in {@code JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS}); and with
 * one line on stderr saying why when it cannot relaunch (no {@code bin/java}, no readable command
 * line, {@code main} called by another program's {@code main} rather than by the java launcher,
 * the child could not start).
 *
 * <p>Signals: Ctrl-C reaches the child from the terminal (it is in the same process group), so
 * the parent ignores SIGINT; a SIGTERM to the parent is passed on to the child (its
 * {@link FrameworkMain#stopOnSignals} stop request) and the parent waits for it; if the parent's
 * JVM shuts down for another reason (SIGHUP, say) it sends the child SIGTERM and waits for it to
 * end. The child halts at once when the parent is gone (killed with SIGKILL), within half a
 * second, as the program did when it was one process. A SIGTERM sent to both (to the process
 * group: GNU {@code timeout}, systemd) reaches the child twice, which {@code stopOnSignals} takes
 * as one stop request when the two come within two seconds.
 *
 * <p>The parent loads only JDK classes and waits: for image-invert, 44 to 46 MB of resident
 * memory and 0.1 to 0.3 s of CPU per run, measured.
 *
 * <p>Threading: call it once, from {@code main}, before anything else.
 */
public final class Relaunch {
  /**
   * JVM options for a scheduler's JVM: the C1 compiler only. A scheduler waits on the network and
   * on disk, and C2 compiles what it runs for longer than it runs: image-invert's scheduler took
   * 11 to 14 s of CPU for 200 images with both compilers (5 to 6 s of it compiling) and 7.4 to
   * 9 s with C1 alone, measured on a 2-core machine.
   */
  public static final List<String> SCHEDULER_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  /** The system property that marks the relaunched child; its value is the parent's pid. */
  public static final String CHILD_PROPERTY = "mesoskit.relaunched";

  /** The system property that turns relaunching off: {@code -Dmesoskit.relaunch=false}. */
  public static final String OFF_PROPERTY = "mesoskit.relaunch";

  /** The environment variable that turns relaunching off: {@code MESOSKIT_RELAUNCH=0}. */
  public static final String OFF_ENV = "MESOSKIT_RELAUNCH";

  private static final Set<String> OFF_VALUES = Set.of("0", "false", "no", "off");

  private Relaunch() {}

  /**
   * Runs the program in a JVM with {@code jvmOptions}: returns when this JVM is to run it, or
   * runs a child JVM and exits with its exit status (then it never returns).
   *
   * @param program the program's name, for the line saying it cannot relaunch
   * @param jvmOptions the JVM options the program wants, e.g. {@link #SCHEDULER_OPTIONS}
   * @param args {@code main}'s arguments
   */
  public static void withOptions(String program, List<String> jvmOptions, String[] args) {
    Objects.requireNonNull(program, "program must not be null");
    Objects.requireNonNull(args, "args must not be null");
    String parent = System.getProperty(CHILD_PROPERTY);
    if (parent != null) {
      watchParent(parent);
      return;
    }
    Decision decision = decide(jvmOptions, System.getenv(), System.getProperty(OFF_PROPERTY),
        commandLine(), System.getProperty("java.home"), args,
        ProcessHandle.current().pid(), Files::isExecutable);
    if (decision.command().isEmpty()) {
      decision.explanation().ifPresent(why -> System.err.println(
          explanation(program, jvmOptions, why)));
      return;
    }
    Optional<String> host = host();
    if (host.isPresent()) { // its command line is the host's: running it would run the host
      System.err.println(explanation(program, jvmOptions,
          "main is called by " + host.get() + ", not by the java launcher"));
      return;
    }
    int status;
    try {
      status = run(decision.command());
    } catch (IOException e) {
      System.err.println(explanation(program, jvmOptions, "cannot start "
          + decision.command().get(0) + ": " + e.getMessage()));
      return;
    }
    System.exit(status);
  }

  /**
   * The method at the bottom of this thread's stack when it is not {@code main} of the class that
   * called {@link #withOptions}: a program's {@code main} called by another one ({@code mvn
   * exec:java}, a test, a launcher in the jar), whose command line it is.
   */
  private static Optional<String> host() {
    List<StackWalker.StackFrame> frames = StackWalker.getInstance(
        StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s.toList());
    StackWalker.StackFrame caller = frames.get(2); // host(), withOptions, its caller
    StackWalker.StackFrame bottom = frames.get(frames.size() - 1);
    if (bottom.getDeclaringClass() == caller.getDeclaringClass()
        && bottom.getMethodName().equals("main")) {
      return Optional.empty();
    }
    return Optional.of(bottom.getClassName() + "." + bottom.getMethodName());
  }

  /**
   * This JVM's arguments after the {@code java} command: from {@code /proc/self/cmdline} where
   * there is one, since {@code ProcessHandle.info().arguments()} stops at the first empty argument
   * (so {@code -cp ""} looked like the end of the line) and gives nothing for a command line longer
   * than a page (a long {@code -cp}); else from {@code ProcessHandle}.
   */
  private static Optional<String[]> commandLine() {
    Path proc = Path.of("/proc/self/cmdline");
    if (Files.isReadable(proc)) {
      try {
        return Optional.of(arguments(Files.readAllBytes(proc), jnuCharset()));
      } catch (IOException | RuntimeException e) {
        // fall back to ProcessHandle
      }
    }
    return ProcessHandle.current().info().arguments();
  }

  /** The charset the launcher decoded {@code main}'s arguments with. */
  private static Charset jnuCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding"));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /**
   * The arguments after the command in the contents of {@code /proc/<pid>/cmdline}: strings each
   * ended by a NUL byte, the first the command; empty strings kept. Decoded as the launcher
   * decodes {@code main}'s arguments, so that they compare equal.
   */
  static String[] arguments(byte[] cmdline, Charset charset) {
    List<String> all = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        all.add(new String(cmdline, start, i - start, charset));
        start = i + 1;
      }
    }
    if (start < cmdline.length) { // no NUL after the last one
      all.add(new String(cmdline, start, cmdline.length - start, charset));
    }
    return all.isEmpty() ? new String[0] : all.subList(1, all.size()).toArray(String[]::new);
  }

  /**
   * What {@link #withOptions} does: a command to run, or none and maybe why.
   *
   * @param command the child's command line, empty when this JVM runs the program
   * @param explanation why it cannot relaunch, for the user; empty when there is nothing to say
   *     (a relaunch, an opt-out, options the user chose)
   */
  record Decision(List<String> command, Optional<String> explanation) {
    Decision {
      command = List.copyOf(command);
    }

    static Decision quietly() {
      return new Decision(List.of(), Optional.empty());
    }

    static Decision because(String why) {
      return new Decision(List.of(), Optional.of(why));
    }
  }

  /**
   * Whether and how to relaunch; no side effects.
   *
   * @param jvmOptions the options the program wants
   * @param env the environment
   * @param offProperty the value of {@value #OFF_PROPERTY}, or null
   * @param commandLine this JVM's arguments after the {@code java} command, if known
   * @param javaHome {@code java.home}
   * @param args {@code main}'s arguments, the end of {@code commandLine}
   * @param pid this process' id, the child's {@value #CHILD_PROPERTY}
   * @param executable whether a file is an executable
   * @return the decision
   */
  static Decision decide(List<String> jvmOptions, Map<String, String> env, String offProperty,
      Optional<String[]> commandLine, String javaHome, String[] args, long pid,
      Predicate<Path> executable) {
    if (off(env.get(OFF_ENV)) || off(offProperty)) {
      return Decision.quietly();
    }
    Set<String> userFlags = new HashSet<>();
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        List<String> options = List.of(value.trim().split("\\s+"));
        if (options.stream().anyMatch(Relaunch::attachesAnAgent)) {
          // the child would read it too: a second agent, a debugger's port taken by the parent
          return Decision.quietly();
        }
        options.stream().map(Relaunch::flag).forEach(userFlags::add);
      }
    }
    if (commandLine.isEmpty()) {
      return Decision.because("this JVM's command line cannot be read");
    }
    List<String> line = List.of(commandLine.get());
    int jvmEnd = line.size() - args.length;
    if (jvmEnd < 1 || !line.subList(jvmEnd, line.size()).equals(List.of(args))) {
      return Decision.because("this JVM's command line " + line + " does not end with the"
          + " program's arguments " + List.of(args));
    }
    if (line.subList(0, jvmEnd).stream().anyMatch(Relaunch::attachesAnAgent)) {
      return Decision.quietly(); // a debugger or agent is attached to this JVM: the program stays
    }
    line.subList(0, jvmEnd).stream().map(Relaunch::flag).forEach(userFlags::add);
    List<String> missing = jvmOptions.stream().filter(o -> !userFlags.contains(flag(o))).toList();
    if (missing.isEmpty()) {
      return Decision.quietly();
    }
    Path java = Path.of(javaHome, "bin", "java");
    if (!executable.test(java)) {
      return Decision.because(java + " is not an executable file");
    }
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(missing);
    command.add("-D" + CHILD_PROPERTY + "=" + pid);
    command.addAll(line);
    return new Decision(command, Optional.empty());
  }

  /**
   * What a JVM option sets, so that the user's setting of it wins: {@code TieredStopAtLevel} for
   * {@code -XX:TieredStopAtLevel=1}, {@code UseSerialGC} for {@code -XX:+UseSerialGC},
   * {@code -Dname} for {@code -Dname=value}, {@code -Xss} for {@code -Xss512k}, else the option.
   */
  static String flag(String option) {
    if (option.startsWith("-XX:")) {
      String name = option.substring(4);
      if (name.startsWith("+") || name.startsWith("-")) {
        name = name.substring(1);
      }
      int eq = name.indexOf('=');
      return eq < 0 ? name : name.substring(0, eq);
    }
    if (option.startsWith("-D")) {
      int eq = option.indexOf('=');
      return eq < 0 ? option : option.substring(0, eq);
    }
    for (String sized : List.of("-Xss", "-Xms", "-Xmx", "-Xmn")) {
      if (option.startsWith(sized)) {
        return sized;
      }
    }
    return option;
  }

  /**
   * Whether an option attaches a debugger or an agent, which the user means for the JVM they
   * start: {@code -agentlib:}, {@code -agentpath:}, {@code -javaagent:}, {@code -Xrunjdwp},
   * {@code -Xdebug}.
   */
  static boolean attachesAnAgent(String option) {
    return option.startsWith("-agentlib:") || option.startsWith("-agentpath:")
        || option.startsWith("-javaagent:") || option.startsWith("-Xrun")
        || option.equals("-Xdebug");
  }

  /** The line printed when the program runs without its options. */
  static String explanation(String program, List<String> jvmOptions, String why) {
    return program + ": running without the JVM options " + String.join(" ", jvmOptions) + " ("
        + why + "; " + OFF_ENV + "=0 stops trying)";
  }

  private static boolean off(String value) {
    return value != null && OFF_VALUES.contains(value.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Runs the child with this process' stdin, stdout and stderr; returns its exit status. When it
   * cannot start, this JVM's handling of SIGINT and SIGTERM is as it was.
   */
  static int run(List<String> command) throws IOException {
    AtomicReference<Process> child = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    // Before the child starts, so that no signal in between ends this JVM without it.
    Object previousInt = Signals.handle("INT", number -> { }); // Ctrl-C reaches the child itself
    Object previousTerm = Signals.handle("TERM", number -> {
      stopRequested.set(true);
      Process p = child.get();
      if (p != null) {
        p.destroy(); // SIGTERM: the child's stop request
      }
    });
    Process process;
    try {
      process = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      // The program runs in this JVM: Ctrl-C and SIGTERM end it again.
      Signals.restore("INT", previousInt);
      Signals.restore("TERM", previousTerm);
      throw e;
    }
    child.set(process);
    if (stopRequested.get()) {
      process.destroy(); // a SIGTERM came while it started
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (process.isAlive()) { // this JVM ends for another reason (SIGHUP): the child with it
        process.destroy();
        waitFor(process);
      }
    }, "mesoskit-relaunch-stop"));
    return waitFor(process);
  }

  private static int waitFor(Process process) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** In the child: halts when the parent is gone, as the one process did when it was killed. */
  private static void watchParent(String parentPid) {
    long pid;
    try {
      pid = Long.parseLong(parentPid.trim());
    } catch (NumberFormatException e) {
      return; // set by hand, not by a relaunch: nothing to watch
    }
    Thread watch = new Thread(() -> {
      while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == pid) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
      Runtime.getRuntime().halt(128 + 9);
    }, "mesoskit-relaunch-parent");
    watch.setDaemon(true);
    watch.start();
  }
}
