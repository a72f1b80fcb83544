/**
 * The JSON the three personal tabs read from the bot's own server (GET /api/tabs/me, /api/tabs/team,
 * /api/tabs/org). One shape shared by the server that builds it and the pages that draw it, so a field
 * renamed on one side fails to compile on the other.
 */
import type { AreaId, Level } from '../frameworkSchema.js';

/** A share of a group's statements met, 0–100, or null where nothing was rated. */
export type Percent = number | null;

export interface AreaScore {
  area: AreaId;
  title: string;
  /**
   * Share of the area's statements at the assessment's level met (Competent, Confident or Yes), as
   * /results counts it (an unanswered statement is not met); null when none was rated.
   */
  self: Percent;
  /**
   * The same share by the manager's finished review of that assessment (their rating standing for
   * every statement of a sub-area they rated; the coder's where they agreed); null without one.
   */
  manager: Percent;
}

export interface ProgressPoint {
  assessmentId: string;
  /** Local date (YYYY-MM-DD) the assessment was completed. */
  completedOn: string;
  level: Level;
  areas: AreaScore[];
}

export interface GapView {
  subArea: string;
  /** "CC1 a: Planning an audit" style label, as the cards show it. */
  label: string;
  area: AreaId;
  level: Level;
  /** Statements rated Not yet / Developing / No in this sub-area. */
  statements: string[];
  activities: { id: string; text: string; level: Level }[];
}

export interface PlanItemView {
  id: string;
  activity: string;
  /** "coder" or "manager": who does it. */
  owner: 'coder' | 'manager';
  /** Local date, YYYY-MM-DD. */
  target: string;
  status: 'proposed' | 'agreed' | 'done' | 'dropped';
  overdue: boolean;
}

export interface EligibilityMilestone {
  programme: string;
  /** Local date the programme's time rules are or will be met; null when a needed fact is unknown. */
  metOn: string | null;
  verdict: 'eligible' | 'not-yet' | 'unknown' | 'not-eligible';
  /** Plain-language facts still missing. */
  unknown: string[];
}

export interface MyProgressView {
  displayName: string;
  history: ProgressPoint[];
  gaps: GapView[];
  plan: PlanItemView[];
  eligibility: EligibilityMilestone[];
}

export interface TeamCoderRow {
  /** Opaque id for this coder inside this manager's view (not the Entra id). */
  coderKey: string;
  displayName: string;
  lastCompletedOn: string | null;
  /** Sub-area id → share met 0–100 (null when not rated). */
  subAreas: Record<string, Percent>;
  /** Change in share met per area since the previous assessment (points), null with only one. */
  change: Partial<Record<AreaId, number | null>>;
  review: 'none' | 'waiting' | 'done';
  reviewWaitingDays: number | null;
  plan: { agreed: number; proposed: number; done: number; overdue: number };
}

export interface MyTeamView {
  subAreas: { id: string; label: string; area: AreaId }[];
  coders: TeamCoderRow[];
}

/**
 * One cell of the organisation view. `people` and `gapPeople` are null when the cell is suppressed
 * (fewer than the threshold, or hidden so a suppressed neighbour cannot be worked out by difference).
 */
export interface OrgCell {
  key: string;
  label: string;
  people: number | null;
  gapPeople: number | null;
  suppressed: boolean;
}

export interface OrgView {
  /** The smallest group shown (5). */
  threshold: number;
  level: Level | 'all';
  total: OrgCell;
  byArea: OrgCell[];
  bySubArea: OrgCell[];
  /** Per quarter (e.g. "2026 Q3"), people with a completed assessment and how many had a gap. */
  overTime: OrgCell[];
}

/** GET /api/tabs/whoami: who is signed in and which tabs have something for them. */
export interface WhoAmIView {
  displayName: string;
  roles: { coder: boolean; manager: boolean; orgViewer: boolean };
  /** Signed in with the local development sign-in (local mode only): the page says so. */
  devSignIn: boolean;
}

/** Every answer of /api/tabs/* says whether the development sign-in was used. */
export type SignedInView<T> = T & { devSignIn: boolean };
