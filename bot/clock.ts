/** The clock: the one place the bot asks the system for the time. Everything else is given `now`. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
