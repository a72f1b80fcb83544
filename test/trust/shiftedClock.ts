/**
 * Preloaded into a child bot process (`node --import`) to set its clock to TEST_NOW: `new Date()` and
 * `Date.now()` start there and run at the real pace. The bot itself still asks bot/clock.ts; this only
 * moves what that sees, so a test can put a real process on a working Tuesday morning, then restart it
 * eleven minutes later.
 */
const target = process.env.TEST_NOW;
if (target) {
  const RealDate = Date;
  const shift = RealDate.parse(target) - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: [] | [string | number | Date] | [number, number, ...number[]]) {
      if (args.length === 0) super(RealDate.now() + shift);
      else if (args.length === 1) super(args[0]);
      else super(...(args as [number, number, number, number, number, number, number]));
    }

    static override now(): number {
      return RealDate.now() + shift;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
