import { ensure } from './ensure.js';
import type { GlossaryTerm, Passage } from './dataSchemas.js';
import type { Area, AreaId, Framework, Level, Source, Statement, SubArea } from './frameworkSchema.js';

/** Everything the bot knows, loaded and validated once at start-up. */
export interface Library {
  framework: Framework;
  sources: Source[];
  passages: Passage[];
  glossary: GlossaryTerm[];
}

export const LEVEL_NAMES: Record<Level, string> = {
  trainee: 'Trainee auditor',
  approved: 'Approved auditor',
};

/** "Trainee and approved auditors" / "Approved auditors only": how the framework's ticks read aloud. */
export function describeLevels(levels: readonly Level[]): string {
  if (levels.includes('trainee') && levels.includes('approved')) return 'Trainee and approved auditors';
  return levels.includes('trainee') ? 'Trainee auditors only' : 'Approved auditors only';
}

/** "CC2 d. Statistics", or "CC5 (general)" for CC5's unlettered opening statements. */
export function subAreaLabel(sub: SubArea): string {
  const area = sub.id.slice(0, 3);
  return sub.letter ? `${area} ${sub.letter}. ${sub.title}` : `${area} (general)`;
}

export function findSource(lib: Library, id: string): Source | undefined {
  return lib.sources.find((s) => s.id === id);
}

export function findArea(lib: Library, id: string): Area | undefined {
  return lib.framework.areas.find((a) => a.id === id.toUpperCase());
}

export function findSubArea(lib: Library, id: string): { area: Area; subArea: SubArea } | undefined {
  for (const area of lib.framework.areas) {
    const subArea = area.subAreas.find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (subArea) return { area, subArea };
  }
  return undefined;
}

export interface StatementInContext {
  area: Area;
  subArea: SubArea;
  statement: Statement;
}

export function allStatements(lib: Library): StatementInContext[] {
  return lib.framework.areas.flatMap((area) =>
    area.subAreas.flatMap((subArea) => subArea.statements.map((statement) => ({ area, subArea, statement }))),
  );
}

export function findStatement(lib: Library, id: string): StatementInContext | undefined {
  return allStatements(lib).find((s) => s.statement.id === id);
}

/** The sub-areas that have at least one statement at the level, each with only those statements. */
export function subAreasAtLevel(lib: Library, level: Level): { area: Area; subArea: SubArea }[] {
  return lib.framework.areas.flatMap((area) =>
    area.subAreas
      .map((sub) => ({ ...sub, statements: sub.statements.filter((s) => s.levels.includes(level)) }))
      .filter((sub) => sub.statements.length > 0)
      .map((subArea) => ({ area, subArea })),
  );
}

export type CompetencyRef = { kind: 'area'; areaId: AreaId } | { kind: 'subArea'; subAreaId: string };

/**
 * Reads a competency reference the way coders write one: "CC2", "cc2d", "CC2 d", "CC2.d", "CC2 d.",
 * "CC5 general". Returns undefined for anything else, so free words fall through to search.
 */
export function parseCompetencyRef(text: string): CompetencyRef | undefined {
  const m = /^\s*cc\s*([1-5])(?:\s*[.-]?\s*([a-j]|general)\.?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const areaId = `CC${ensure(m[1], 'the area digit the pattern requires')}` as AreaId;
  if (!m[2]) return { kind: 'area', areaId };
  const part = m[2].toLowerCase();
  return { kind: 'subArea', subAreaId: part === 'general' ? `${areaId}-general` : `${areaId}${part}` };
}

/** Cross-file checks zod cannot do alone: every reference points at something that exists. */
export function checkLibraryReferences(lib: Library): string[] {
  const problems: string[] = [];
  const sourceIds = new Set(lib.sources.map((s) => s.id));
  const subIds = new Set(lib.framework.areas.flatMap((a) => [a.id, ...a.subAreas.map((s) => s.id)]));
  if (!sourceIds.has(lib.framework.source))
    problems.push(`framework.json: source "${lib.framework.source}" is not in sources.json`);
  lib.passages.forEach((p, i) => {
    if (!sourceIds.has(p.source))
      problems.push(`knowledge.json: passages.${i}.source "${p.source}" is not in sources.json`);
    if (p.also && !sourceIds.has(p.also.source))
      problems.push(`knowledge.json: passages.${i}.also.source "${p.also.source}" is not in sources.json`);
    if (p.supersededBy && !lib.passages.some((q) => q.id === p.supersededBy))
      problems.push(`knowledge.json: passages.${i}.supersededBy "${p.supersededBy}" is not a passage`);
  });
  lib.glossary.forEach((g, i) => {
    if (g.source && !sourceIds.has(g.source))
      problems.push(`glossary.json: terms.${i}.source "${g.source}" is not in sources.json`);
  });
  lib.framework.resources.forEach((r, i) => {
    r.helpsWith.forEach((h, j) => {
      if (!subIds.has(h))
        problems.push(`framework.json: resources.${i}.helpsWith.${j} "${h}" is not an area or sub-area`);
    });
  });
  const seen = new Set<string>();
  for (const { statement } of allStatements(lib)) {
    if (seen.has(statement.id)) problems.push(`framework.json: statement id "${statement.id}" is used twice`);
    seen.add(statement.id);
  }
  return problems;
}
