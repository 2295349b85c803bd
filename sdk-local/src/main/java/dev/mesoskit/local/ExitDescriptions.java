package dev.mesoskit.local;

/** How a process's end reads in a Mesos agent's status messages. */
final class ExitDescriptions {
  private ExitDescriptions() {}

  /**
   * The exit as WSTRINGIFY says it. Java reports death by signal N as exit value 128 + N, so an
   * explicit {@code exit 130} reads as a signal too.
   */
  static String describeExit(int exitValue) {
    if (exitValue > 128 && exitValue <= 128 + 64) {
      return "terminated with signal " + signalName(exitValue - 128);
    }
    return "exited with status " + exitValue;
  }

  /** strsignal(3) on Linux. */
  static String signalName(int signal) {
    return switch (signal) {
      case 1 -> "Hangup";
      case 2 -> "Interrupt";
      case 3 -> "Quit";
      case 4 -> "Illegal instruction";
      case 5 -> "Trace/breakpoint trap";
      case 6 -> "Aborted";
      case 7 -> "Bus error";
      case 8 -> "Floating point exception";
      case 9 -> "Killed";
      case 10 -> "User defined signal 1";
      case 11 -> "Segmentation fault";
      case 12 -> "User defined signal 2";
      case 13 -> "Broken pipe";
      case 14 -> "Alarm clock";
      case 15 -> "Terminated";
      default -> signal >= 34 ? "Real-time signal " + (signal - 34) : "Unknown signal " + signal;
    };
  }
}
