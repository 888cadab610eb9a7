import { encodeAuthorPlanRequest } from '../../protocol/pipe/config-plan/author-plan.js';
import type { TPipeTransferReq } from '../../protocol/rpc-types.js';
import type { AuthChange, AuthFeed } from './auth-sync.js';
import { plansOfChange } from './author-plans.js';

/** The `source.inclusion` leaf that selects each kind of change (IoTDB's option tree). */
const LEAF_OF: Readonly<Record<AuthChange['kind'], string>> = {
  'create-user': 'auth.user.create',
  'set-password': 'auth.user.alter',
  'drop-user': 'auth.user.drop',
  grant: 'auth.user.grant',
  revoke: 'auth.user.revoke',
};

/** Logged changes read at once. */
const CHANGES_PER_READ = 256;

export interface AuthShipperOptions {
  readonly feed: AuthFeed;
  /** The `auth.*` leaves of the pipe's inclusion: only their changes go. */
  readonly leaves: ReadonlySet<string>;
  /** Ships one plan's request (`what` names it in errors); resolves once the receiver applied it. */
  readonly send: (req: TPipeTransferReq, what: string) => Promise<void>;
  /** The log position shipped through; null: nothing yet (a snapshot goes first). */
  readonly from: number | null;
  /** `source.history.enable`: the users that exist when the pipe starts go first. */
  readonly history: boolean;
  /** `source.realtime.enable`: changes made while the pipe runs follow. */
  readonly realtime: boolean;
  /** Records the position shipped through, so a restart resumes after it. */
  readonly save: (through: number) => void;
  readonly log: (message: string) => void;
}

/**
 * Ships a node's users to a receiver: at the first start the existing users and their
 * grants (users before grants, the super user left out as IoTDB does), then every change
 * of the node's log in order, each acknowledged before the next. The position is saved
 * after every change, so a restarted pipe resumes after the last one applied (drops made
 * while it was stopped included); a pipe that fell behind the kept log ships a snapshot again.
 */
export class AuthShipper {
  private stopped = false;
  private wake: (() => void) | null = null;
  private pending = false;

  constructor(private readonly options: AuthShipperOptions) {}

  /** Ships the snapshot when one is due; resolves with the position the realtime part starts at. */
  async shipHistory(): Promise<number> {
    const { feed, from, history } = this.options;
    if (from !== null) return from;
    if (!history) {
      // Only what changes from now on: the picture is not shipped, its position is.
      const { through } = feed.snapshot();
      this.options.save(through);
      return through;
    }
    return this.shipSnapshot();
  }

  /** Ships logged changes after `from` until stopped. */
  async shipRealtime(from: number): Promise<void> {
    if (!this.options.realtime) return;
    const unsubscribe = this.options.feed.onChange(() => {
      this.pending = true;
      this.wake?.();
    });
    let position = from;
    try {
      while (!this.stopped) {
        this.pending = false;
        const changes = this.options.feed.changesAfter(position, CHANGES_PER_READ);
        if (changes === null) {
          this.options.log(
            `auth sync: the user change log no longer reaches back to change ${position}: shipping all users again (users dropped since stay on the receiver)`,
          );
          position = await this.shipSnapshot();
          continue;
        }
        for (const { seq, change } of changes) {
          if (this.stopped) return;
          await this.ship(change);
          position = seq;
          this.options.save(position);
        }
        if (changes.length === 0 && !this.pending) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = null;
        }
      }
    } finally {
      unsubscribe();
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async shipSnapshot(): Promise<number> {
    const { through, changes } = this.options.feed.snapshot();
    for (const change of changes) {
      if (this.stopped) return through;
      await this.ship(change);
    }
    if (!this.stopped) this.options.save(through);
    return through;
  }

  private async ship(change: AuthChange): Promise<void> {
    if (!this.options.leaves.has(LEAF_OF[change.kind])) return;
    const { plans, unsent } = plansOfChange(change);
    if (unsent.length > 0) {
      this.options.log(
        `auth sync: ${unsent.join(', ')} of user ${change.user} not sent: IoTDB 1.3's plans have no code for them`,
      );
    }
    for (const plan of plans)
      await this.options.send(encodeAuthorPlanRequest(plan), `${change.kind} of user ${change.user}`);
  }
}
