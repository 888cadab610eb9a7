/**
 * IoTDB's start-cli spells some flags with one dash and several letters (`-pw`,
 * `-disableISO8601`, `-timeout`, `-maxPRC`), which POSIX-style parsers read as a cluster of
 * short flags (`-pw` would be `-p w`). They are renamed to long flags before parsing.
 */
const SINGLE_DASH_NAMES: Readonly<Record<string, string>> = {
  '-pw': '--password',
  '-disableISO8601': '--disable-iso8601',
  '-timeout': '--timeout',
  '-maxPRC': '--max-rows',
  '-help': '--help',
  '-usessl': '--use-ssl',
  '-ts': '--trust-store',
  '-tpw': '--trust-store-pwd',
};

const EXECUTE_FLAGS = new Set(['-e', '--execute']);

/**
 * The `cli` arguments in a form commander parses. Also, as start-cli does, words after
 * `-e` up to the next known flag are one statement text, so `-e select * from root.**`
 * works unquoted (where the shell leaves the words alone).
 */
export function normalizeCliArgs(args: readonly string[], knownFlags: ReadonlySet<string>): string[] {
  const renamed = args.map((a) => SINGLE_DASH_NAMES[a] ?? a);
  const out: string[] = [];
  for (let i = 0; i < renamed.length; i++) {
    const arg = renamed[i]!;
    out.push(arg);
    if (!EXECUTE_FLAGS.has(arg) || i + 1 >= renamed.length) continue;
    const words = [renamed[++i]!];
    while (i + 1 < renamed.length && !knownFlags.has(renamed[i + 1]!)) words.push(renamed[++i]!);
    out.push(words.join(' '));
  }
  return out;
}
