import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { FrameworkSchema } from '../core/frameworkSchema.js';
import { GlossaryFileSchema, KnowledgeFileSchema, SourcesFileSchema } from '../core/dataSchemas.js';
import { checkLibraryReferences, type Library } from '../core/library.js';

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Data file ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads one JSON data file and validates it; the error names the file and the path of each bad field. */
export async function loadDataFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataFileError(file, [(e as Error).message]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DataFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** Loads and cross-checks the whole library from `data/`; any problem stops start-up. */
export async function loadLibrary(dir = dataDirectory()): Promise<Library> {
  const [framework, sources, knowledge, glossary] = await Promise.all([
    loadDataFile(path.join(dir, 'framework.json'), FrameworkSchema),
    loadDataFile(path.join(dir, 'sources.json'), SourcesFileSchema),
    loadDataFile(path.join(dir, 'knowledge.json'), KnowledgeFileSchema),
    loadDataFile(path.join(dir, 'glossary.json'), GlossaryFileSchema),
  ]);
  const lib: Library = {
    framework,
    sources: sources.sources,
    passages: knowledge.passages,
    glossary: glossary.terms,
  };
  const problems = checkLibraryReferences(lib);
  if (problems.length) throw new DataFileError(dir, problems);
  return lib;
}

/** The project's own folder, whether running from source (tsx) or from dist/. */
export function projectRoot(): string {
  let dir = import.meta.dirname;
  while (path.basename(dir) !== 'bot') dir = path.dirname(dir);
  const root = path.dirname(dir);
  return path.basename(root) === 'dist' ? path.dirname(root) : root;
}

function dataDirectory(): string {
  return path.join(projectRoot(), 'data');
}
