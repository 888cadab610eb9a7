import { createInterface } from 'node:readline';
import type { CliHistory } from './cli-history.js';
import { HISTORY_LINES_MAX } from './cli-history.js';
import type { CliRunner } from './cli-runner.js';
import { isUnterminated } from './statement-splitter.js';

const PROMPT = 'IoTDB> ';
/** Shown while a quote or block comment is still open. */
const CONTINUATION_PROMPT = '     > ';

export interface ReplIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** A person at a terminal: prompts, line editing, history, Ctrl-C. Piped input gets none of them. */
  readonly terminal: boolean;
  readonly history: CliHistory | null;
}

/**
 * The interactive loop: each line is one input (statements separated by `;`; a line that
 * leaves a quote or block comment open continues on the next), until `exit`, `quit`, the
 * end of input or Ctrl-C at an empty prompt. `newRunner` receives the question the runner
 * asks between tables of a long result: an empty line shows more, anything else stops.
 * A lost connection rejects (ConnectionError).
 */
export async function runRepl(newRunner: (more: () => Promise<boolean>) => CliRunner, io: ReplIo): Promise<void> {
  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal: io.terminal,
    history: io.terminal ? (io.history?.load() ?? []) : [],
    historySize: HISTORY_LINES_MAX,
    prompt: PROMPT,
  });
  const lines = rl[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | null> => {
    const next = await lines.next();
    return next.done === true ? null : next.value;
  };
  const runner = newRunner(async () => (await nextLine()) === '');
  let buffer = '';
  const prompt = () => {
    if (!io.terminal) return;
    rl.setPrompt(buffer === '' ? PROMPT : CONTINUATION_PROMPT);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (buffer === '' && rl.line === '') {
      rl.close();
      return;
    }
    buffer = '';
    io.output.write('\n');
    rl.write(null, { ctrl: true, name: 'u' });
    prompt();
  });
  try {
    prompt();
    for (;;) {
      const line = await nextLine();
      if (line === null) return;
      buffer = buffer === '' ? line : `${buffer}\n${line}`;
      if (isUnterminated(buffer)) {
        prompt();
        continue;
      }
      const text = buffer;
      buffer = '';
      if (text.trim() !== '') {
        io.history?.remember(text);
        if ((await runner.run(text)).quit) return;
      }
      prompt();
    }
  } finally {
    rl.close();
  }
}
