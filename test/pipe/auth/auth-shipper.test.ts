import { describe, expect, it } from 'vitest';
import { AuthShipper, type AuthShipperOptions } from '../../../pipe/auth/auth-shipper.js';
import type { AuthChange, AuthFeed, LoggedAuthChange } from '../../../pipe/auth/auth-sync.js';
import { AuthorPlanType, decodeAuthorPlan } from '../../../protocol/pipe/config-plan/author-plan.js';

const ALL_AUTH = new Set([
  'auth.user.create',
  'auth.user.alter',
  'auth.user.drop',
  'auth.user.grant',
  'auth.user.revoke',
]);

/** A feed over an in-memory log: the snapshot is whatever users the log leaves. */
class MemoryFeed implements AuthFeed {
  readonly log: LoggedAuthChange[] = [];
  private readonly listeners = new Set<() => void>();
  firstKept = 1;
  constructor(private readonly picture: AuthChange[]) {}
  add(change: AuthChange): void {
    this.log.push({ seq: this.log.length + 1, change });
    for (const l of this.listeners) l();
  }
  snapshot() {
    return { through: this.log.length, changes: this.picture };
  }
  changesAfter(seq: number, limit: number) {
    if (seq + 1 < this.firstKept) return null;
    return this.log.filter((c) => c.seq > seq).slice(0, limit);
  }
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const hash = (n: number) => `scrypt$16384$${String(n).repeat(32)}$${String(n).repeat(64)}`;
const create = (user: string, n: number): AuthChange => ({
  kind: 'create-user',
  user,
  password: { form: 'hash', text: hash(n) },
});

function shipper(feed: AuthFeed, overrides: Partial<AuthShipperOptions> = {}) {
  const sent: string[] = [];
  const saved: number[] = [];
  const logs: string[] = [];
  const s = new AuthShipper({
    feed,
    leaves: ALL_AUTH,
    send: async (req) => {
      expect(req.type).toBe(200);
      const p = decodeAuthorPlan(req.body);
      sent.push(
        `${p.type} ${p.userName} ${p.password || p.newPassword} ${p.permissions?.join('+') ?? ''} ${p.paths.join('+')}`.trim(),
      );
    },
    from: null,
    history: true,
    realtime: true,
    save: (n) => saved.push(n),
    log: (m) => logs.push(m),
    ...overrides,
  });
  return { s, sent, saved, logs };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('AuthShipper', () => {
  it('ships users then grants first, then logged changes in order, saving each position', async () => {
    const feed = new MemoryFeed([
      create('alice', 1),
      {
        kind: 'grant',
        user: 'alice',
        privileges: ['WRITE_DATA', 'MANAGE_USER'],
        paths: [['root', 'sg', '**']],
        grantOption: false,
      },
    ]);
    feed.add(create('alice', 1));
    feed.add({
      kind: 'grant',
      user: 'alice',
      privileges: ['WRITE_DATA', 'MANAGE_USER'],
      paths: [['root', 'sg', '**']],
      grantOption: false,
    });
    const { s, sent, saved } = shipper(feed);
    const from = await s.shipHistory();
    expect(from).toBe(2);
    expect(sent).toEqual([
      `${AuthorPlanType.CreateUserWithRawPassword} alice ${hash(1)}`,
      `${AuthorPlanType.GrantUser} alice  4`,
      `${AuthorPlanType.GrantUser} alice  1 root.sg.**`,
    ]);
    const running = s.shipRealtime(from);
    feed.add({ kind: 'revoke', user: 'alice', privileges: ['WRITE_DATA'], paths: [['root', 'sg', '**']] });
    feed.add({ kind: 'set-password', user: 'alice', password: { form: 'hash', text: hash(2) } });
    feed.add({ kind: 'drop-user', user: 'alice' });
    await until(() => sent.length === 6);
    s.stop();
    await running;
    expect(sent.slice(3)).toEqual([
      `${AuthorPlanType.RevokeUser} alice  1 root.sg.**`,
      `${AuthorPlanType.UpdateUser} alice ${hash(2)}`,
      `${AuthorPlanType.DropUser} alice`,
    ]);
    expect(saved).toEqual([2, 3, 4, 5]);
  });

  it('resumes after the saved position without a snapshot, so drops made while stopped arrive', async () => {
    const feed = new MemoryFeed([]);
    feed.add(create('bob1', 1));
    feed.add({ kind: 'drop-user', user: 'bob1' });
    const { s, sent } = shipper(feed, { from: 1 });
    const from = await s.shipHistory();
    expect(from).toBe(1);
    const running = s.shipRealtime(from);
    await until(() => sent.length === 1);
    s.stop();
    await running;
    expect(sent).toEqual([`${AuthorPlanType.DropUser} bob1`]);
  });

  it('ships the picture again when the log no longer reaches back', async () => {
    const feed = new MemoryFeed([create('carol', 3)]);
    for (let i = 0; i < 5; i++) feed.add(create(`u${i}xx`, 1));
    feed.firstKept = 4;
    const { s, sent, logs } = shipper(feed, { from: 1 });
    const running = s.shipRealtime(await s.shipHistory());
    await until(() => sent.length === 1);
    s.stop();
    await running;
    expect(sent).toEqual([`${AuthorPlanType.CreateUserWithRawPassword} carol ${hash(3)}`]);
    expect(logs[0]).toMatch(
      /no longer reaches back to change 1: shipping all users again \(users dropped since stay on the receiver\)/,
    );
  });

  it('leaves out what the inclusion leaves out, legacy privilege names, and history when disabled', async () => {
    const feed = new MemoryFeed([create('dave1', 1)]);
    const { s, sent, saved, logs } = shipper(feed, {
      history: false,
      leaves: new Set(['auth.user.create', 'auth.user.grant']),
    });
    const running = s.shipRealtime(await s.shipHistory());
    feed.add({ kind: 'drop-user', user: 'dave1' });
    feed.add({
      kind: 'grant',
      user: 'erin1',
      privileges: ['INSERT_TIMESERIES', 'READ_DATA'],
      paths: [],
      grantOption: true,
    });
    await until(() => sent.length === 1);
    s.stop();
    await running;
    expect(sent).toEqual([`${AuthorPlanType.GrantUser} erin1  0 root.**`]);
    expect(saved).toEqual([0, 1, 2]);
    expect(logs).toEqual([
      "auth sync: INSERT_TIMESERIES of user erin1 not sent: IoTDB 1.3's plans have no code for them",
    ]);
  });
});
