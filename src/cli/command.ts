/** The streams and environment a command runs with (tests pass their own). */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** The shape every `scs` subcommand module exports. */
export interface Command {
  /** One line for `scs --help`. */
  summary: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], io: CommandIo): Promise<number>;
}
