import { ConnectionError } from '../../protocol/client/iotdb-error.js';
import type { Session } from '../../protocol/client/session.js';
import type { TimeStyle } from './result-table.js';
import { type TimeDisplay, ZoneOffsets } from './time-format.js';

/** IoTDB's start-cli shows 1000 rows at a time and fetches 1000 rows per page. */
export const MAX_ROWS_DEFAULT = 1000;
export const FETCH_SIZE_DEFAULT = 1000;

const DISPLAY_NAMES: Readonly<Record<string, TimeDisplay>> = {
  default: 'default',
  iso8601: 'default',
  long: 'long',
  number: 'long',
};

const HELP = [
  '    <your-sql>                  run the statement on the node',
  '    set time_display_type=xxx   long, number, default or iso8601',
  '    show time_display_type      show how times are displayed',
  '    set time_zone=xxx           e.g. +08:00, Asia/Shanghai',
  '    show time_zone              show the session time zone',
  '    set fetch_size=xxx          rows fetched from the node per page',
  '    show fetch_size             show the fetch size',
  '    exit, quit                  leave the CLI',
];

/**
 * The CLI's own commands (set/show time_display_type, time_zone, fetch_size; help), as
 * start-cli answers them, and the settings they change.
 */
export class CliSettings {
  fetchSize = FETCH_SIZE_DEFAULT;
  private displayName: string;
  private display: TimeDisplay;
  private zone: ZoneOffsets;

  constructor(
    private readonly session: Session,
    options: { readonly displayName?: string; readonly fetchSize?: number } = {},
  ) {
    this.displayName = options.displayName ?? 'default';
    this.display = DISPLAY_NAMES[this.displayName] ?? 'default';
    this.fetchSize = options.fetchSize ?? FETCH_SIZE_DEFAULT;
    this.zone = new ZoneOffsets(session.zoneId);
  }

  get timeStyle(): TimeStyle {
    return { precision: this.session.timestampPrecision, zone: this.zone, display: this.display };
  }

  /**
   * Runs `statement` when it is a CLI command: true or false for its success. Null when
   * it is SQL for the node.
   */
  async tryCommand(statement: string, print: (line: string) => void): Promise<boolean | null> {
    const lower = statement.trim().toLowerCase();
    const value = () => {
      const parts = statement.split('=');
      return parts.length === 2 ? parts[1]!.trim() : null;
    };
    if (lower === 'help') {
      for (const line of HELP) print(line);
      return true;
    }
    if (lower.startsWith('set time_display_type')) return this.setDisplay(value(), print);
    if (lower.startsWith('set time_zone')) return this.setZone(value(), print);
    if (lower.startsWith('set fetch_size')) return this.setFetchSize(value(), print);
    if (lower.startsWith('show time_zone')) {
      print(`Current time zone: ${this.session.zoneId}`);
      return true;
    }
    if (lower.startsWith('show time_display_type')) {
      print(`Current time format: ${this.displayName}`);
      return true;
    }
    if (lower.startsWith('show fetch_size')) {
      print(`Current fetch size: ${this.fetchSize}`);
      return true;
    }
    return null;
  }

  private setDisplay(name: string | null, print: (line: string) => void): boolean {
    if (name === null) {
      print('Time display format error, please input like set time_display_type=ISO8601');
      return false;
    }
    const display = DISPLAY_NAMES[name.toLowerCase()];
    if (display === undefined) {
      print(`time display format error, '${name}' is not one of long, number, default, iso8601`);
      return false;
    }
    this.displayName = name.toLowerCase();
    this.display = display;
    print(`Time display type has set to ${name}`);
    return true;
  }

  private async setZone(id: string | null, print: (line: string) => void): Promise<boolean> {
    if (id === null) {
      print('Time zone format error, please input like set time_zone=+08:00');
      return false;
    }
    let zone: ZoneOffsets;
    try {
      zone = new ZoneOffsets(id);
      await this.session.setTimeZone(id);
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      print(`Time zone format error: ${(error as Error).message}`);
      return false;
    }
    this.zone = zone;
    print(`Time zone has set to ${id}`);
    return true;
  }

  private setFetchSize(text: string | null, print: (line: string) => void): boolean {
    if (text === null) {
      print('Fetch size format error, please input like set fetch_size=10000');
      return false;
    }
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
      print(`Fetch size format error, '${text}' is not a positive integer`);
      return false;
    }
    this.fetchSize = Math.min(n, 0x7fffffff);
    print(`Fetch size has set to ${text}`);
    return true;
  }
}
