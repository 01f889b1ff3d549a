package zzq.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * A command's standard streams: given to {@link Command#run} rather than read from {@link System}, so that tests
 * run commands in-process with their own input and capture their output.
 *
 * @param in  standard input ({@code zzq pub -l} and {@code -s} read it)
 * @param out standard output: help and results (received messages)
 * @param err standard error: messages for people (log lines go there too, through the logging backend)
 */
record Console(InputStream in, PrintStream out, PrintStream err) {
}
