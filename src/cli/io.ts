/** Minimal I/O port for CLI commands, so they can be tested without spawning a process. */
export interface CliIo {
  /** Whole standard input as text. */
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A CLI command: returns the process exit code (0 ok, 2 invalid input, 1 internal error). */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;
