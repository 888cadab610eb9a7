import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import {
  AuthorPlanType,
  decodeAuthorPlan,
  encodeAuthorPlan,
  encodeAuthorPlanRequest,
  privilegeOrdinal,
} from '../../../protocol/pipe/config-plan/author-plan.js';
import { decodePipeTransferReq, PipeTypeError } from '../../../protocol/pipe/pipe-requests.js';
import { hex } from '../hex.js';

// Hand-assembled from IoTDB 1.3's AuthorPlan.serializeImpl: int16 type, four strings as
// int32 length + UTF-8 (-1 for null), permission flag + count + int32 ordinals, path count
// + strings, int32 grant option.

describe('AuthorPlan codec (IoTDB 1.3 layout)', () => {
  it('writes CreateUserWithRawPassword with the stored hash in the password field', () => {
    const bytes = encodeAuthorPlan({
      type: AuthorPlanType.CreateUserWithRawPassword,
      userName: 'user1',
      roleName: '',
      password: 'abc',
      newPassword: '',
      permissions: [],
      paths: [],
      grantOpt: false,
    });
    expect(bytes).toEqual(
      hex(`
        027e                      # 638 CreateUserWithRawPassword
        00000005 7573657231       # userName "user1"
        00000000                  # roleName ""
        00000003 616263           # password "abc"
        00000000                  # newPassword ""
        01 00000000               # permissions: present, none
        00000000                  # paths: none
        00000000                  # grantOpt false
      `),
    );
  });

  it('writes GrantUser with ordinals, a path and the grant option', () => {
    const bytes = encodeAuthorPlan({
      type: AuthorPlanType.GrantUser,
      userName: 'user1',
      roleName: '',
      password: '',
      newPassword: '',
      permissions: [1, 2],
      paths: ['root.sg.**'],
      grantOpt: true,
    });
    expect(bytes).toEqual(
      hex(`
        0272                      # 626 GrantUser
        00000005 7573657231 00000000 00000000 00000000
        01 00000002 00000001 00000002        # WRITE_DATA, READ_SCHEMA
        00000001 0000000a 726f6f742e73672e2a2a  # "root.sg.**"
        00000001                  # grantOpt true
      `),
    );
  });

  it('reads nulls and an absent permission set', () => {
    const plan = decodeAuthorPlan(
      hex(`
        026f                      # 623 DropUser
        00000005 7573657231 ffffffff ffffffff ffffffff
        00
        00000000
        00000000
      `),
    );
    expect(plan).toEqual({
      type: AuthorPlanType.DropUser,
      userName: 'user1',
      roleName: null,
      password: null,
      newPassword: null,
      permissions: null,
      paths: [],
      grantOpt: false,
    });
  });

  it('round-trips UpdateUser', () => {
    const plan = {
      type: AuthorPlanType.UpdateUser,
      userName: 'ü_user',
      roleName: '',
      password: '',
      newPassword: 'scrypt$16384$00$11',
      permissions: [],
      paths: [],
      grantOpt: false,
    } as const;
    expect(decodeAuthorPlan(encodeAuthorPlan(plan))).toEqual(plan);
  });

  it('refuses other plan types, bad flags, lying counts and bytes left over', () => {
    const good = encodeAuthorPlan({
      type: AuthorPlanType.DropUser,
      userName: 'user1',
      roleName: '',
      password: '',
      newPassword: '',
      permissions: null,
      paths: [],
      grantOpt: false,
    });
    expect(() => decodeAuthorPlan(hex('00c8'))).toThrow(/200 is not a user or role plan type/);
    const flag = Buffer.from(good);
    flag[2 + 9 + 12] = 2;
    expect(() => decodeAuthorPlan(flag)).toThrow(/permissions flag 2/);
    const count = Buffer.from(good);
    count.writeInt32BE(1000, 2 + 9 + 12 + 1);
    expect(() => decodeAuthorPlan(count)).toThrow(PayloadError);
    expect(() => decodeAuthorPlan(Buffer.concat([good, hex('00')]))).toThrow(/1 bytes left over/);
    expect(() => decodeAuthorPlan(good.subarray(0, good.length - 2))).toThrow(PayloadError);
  });

  it('numbers privileges as IoTDB 1.3 declares them', () => {
    expect(privilegeOrdinal('READ_DATA')).toBe(0);
    expect(privilegeOrdinal('WRITE_SCHEMA')).toBe(3);
    expect(privilegeOrdinal('MANAGE_USER')).toBe(4);
    expect(privilegeOrdinal('USE_PIPE')).toBe(9);
    expect(privilegeOrdinal('MAINTAIN')).toBe(12);
    expect(privilegeOrdinal('INSERT_TIMESERIES')).toBeUndefined();
  });

  it('travels as TRANSFER_CONFIG_PLAN (200), beside the database plans', () => {
    const plan = {
      type: AuthorPlanType.DropUser,
      userName: 'user1',
      roleName: '',
      password: '',
      newPassword: '',
      permissions: [],
      paths: [],
      grantOpt: false,
    } as const;
    const req = encodeAuthorPlanRequest(plan);
    expect(req.type).toBe(200);
    expect(req.version).toBe(1);
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'author-plan', plan });
    // SetTTL (201) is a config plan too, not read here.
    const ttl = () => decodePipeTransferReq({ version: 1, type: 200, body: hex('00c9 00000007 726f6f742e7367') });
    expect(ttl).toThrow(PipeTypeError);
    expect(ttl).toThrow(/config plan SET_TTL \(201\) is not supported/);
  });
});
