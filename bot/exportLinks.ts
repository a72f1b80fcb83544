import { createHmac, timingSafeEqual } from 'node:crypto';

/** Short-lived signed links for exports: HMAC over the manager id and expiry, compared in constant time. */
export class ExportLinks {
  constructor(
    private readonly secret: string,
    private readonly ttlMs = 15 * 60 * 1000,
  ) {}

  /**
   * Links for another download, signed with a key derived from the same secret: a token made for
   * one route is then worthless at another, though only one secret is configured.
   */
  static forPurpose(secret: string, purpose: string, ttlMs?: number): ExportLinks {
    return new ExportLinks(
      createHmac('sha256', secret).update(`purpose:${purpose}`).digest('base64url'),
      ttlMs,
    );
  }

  sign(managerId: string, now: Date): string {
    const expires = now.getTime() + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ m: managerId, e: expires })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string, now: Date): string | undefined {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const { m, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        m: string;
        e: number;
      };
      return typeof m === 'string' && typeof e === 'number' && e > now.getTime() ? m : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
