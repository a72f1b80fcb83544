import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';

// ajv and ajv-formats are CommonJS with `exports.default`; under NodeNext the default import is the
// whole module object, so take `.default` when it is there (the same dance as bot/teams/manifest.ts).
type AjvClass = typeof import('ajv').default;
type FormatsPlugin = typeof import('ajv-formats').default;
const Ajv = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** Microsoft's published Adaptive Card 1.5 schema, kept unchanged in ../shared/schemas. */
const CARD_SCHEMA_URL = new URL('../../../shared/schemas/adaptive-card-1.5.schema.json', import.meta.url);
/** Teams' chart elements, which the 1.5 schema does not know, written from Microsoft's documentation. */
const CHART_SCHEMA_URL = new URL('./teams-charts.schema.json', import.meta.url);

export interface CardSchemaError {
  /** JSON pointer into the card, e.g. /body/3/items/0. */
  path: string;
  /** The element type whose definition failed, e.g. TextBlock. */
  type: string;
  message: string;
}

type Node = Record<string, unknown>;

interface Compiled {
  root: ValidateFunction;
  id: string;
  definitions: Set<string>;
  element(type: string): ValidateFunction;
  /** The chart element's own validator; undefined for a Chart.* type the chart schema does not know. */
  chart(type: string): ValidateFunction | undefined;
}

let compiled: Compiled | undefined;

/** Compiled once with the options ../shared/schemas/README.md gives for this draft-06 schema. */
function compile(): Compiled {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(CARD_SCHEMA_URL, 'utf8')) as Node & {
    id: string;
    definitions: Record<string, unknown>;
  };
  const draft06 = createRequire(import.meta.url)(
    'ajv/dist/refs/json-schema-draft-06.json',
  ) as AnySchemaObject;
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addMetaSchema(draft06);
  ajv.addVocabulary(['version', 'features', 'example']);
  addFormats(ajv);
  const id = schema.id;
  schema.$id = id;
  delete (schema as Partial<typeof schema>).id;
  const root = ajv.compile(schema);
  const charts = JSON.parse(readFileSync(CHART_SCHEMA_URL, 'utf8')) as Node & {
    $id: string;
    definitions: Record<string, unknown>;
  };
  ajv.addSchema(charts);
  const cache = new Map<string, ValidateFunction>();
  compiled = {
    root,
    id,
    definitions: new Set(Object.keys(schema.definitions)),
    element(type) {
      let v = cache.get(type);
      if (!v) {
        v = ajv.getSchema(`${id}#/definitions/${type}`);
        if (!v) throw new Error(`The card schema has no definition for ${type}`);
        cache.set(type, v);
      }
      return v;
    },
    chart(type) {
      return type in charts.definitions ? ajv.getSchema(`${charts.$id}#/definitions/${type}`) : undefined;
    },
  };
  return compiled;
}

/** Keys under which an element holds further elements (Action `data` is free-form and not walked). */
const CHILD_KEYS = [
  'body',
  'items',
  'columns',
  'actions',
  'card',
  'inlines',
  'rows',
  'cells',
  'selectAction',
];

function elements(node: Node, pointer: string, out: { pointer: string; node: Node }[]): void {
  if (typeof node.type === 'string') out.push({ pointer, node });
  for (const key of CHILD_KEYS) {
    const child = node[key];
    if (Array.isArray(child)) {
      child.forEach((c, i) => {
        if (c && typeof c === 'object') elements(c as Node, `${pointer}/${key}/${i}`, out);
      });
    } else if (child && typeof child === 'object') {
      elements(child as Node, `${pointer}/${key}`, out);
    }
  }
  if (node.fallback && typeof node.fallback === 'object')
    elements(node.fallback as Node, `${pointer}/fallback`, out);
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const extra =
    e.keyword === 'enum'
      ? ` (${JSON.stringify(p.allowedValues)})`
      : e.keyword === 'additionalProperties'
        ? ` ("${String(p.additionalProperty)}")`
        : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
}

/**
 * Validates an expanded card against the Adaptive Card 1.5 schema, with Teams' chart elements checked
 * against their own schema and replaced by their fallbacks for the rest. The 1.5 schema's anyOf
 * structure turns one mistake into dozens of errors, so when the card fails, each element is validated
 * against its own definitions/<Type> and only the innermost failing elements are reported. [] means valid.
 */
export function validateCard(original: Node): CardSchemaError[] {
  const c = compile();
  const charts = chartProblems(c, original);
  const rest = validateWithoutCharts(c, withFallbacksForCharts(withoutTeamsPeoplePicker(original)));
  return [...charts, ...rest];
}

const isChart = (node: Node) => typeof node.type === 'string' && node.type.startsWith('Chart.');

/**
 * Teams' chart elements (Chart.VerticalBar, Chart.Line, …) are checked against the chart schema, and
 * each must carry a fallback element: clients without charts (and the 1.5 schema) know only that.
 */
function chartProblems(c: Compiled, card: Node): CardSchemaError[] {
  const found: { pointer: string; node: Node }[] = [];
  elements(card, '', found);
  return found
    .filter(({ node }) => isChart(node))
    .flatMap(({ pointer, node }): CardSchemaError[] => {
      const type = String(node.type);
      const v = c.chart(type);
      if (!v) return [{ path: pointer, type, message: `unknown chart type "${type}"` }];
      const problems = v(node) ? [] : [...new Set((v.errors ?? []).map(describe))];
      if (!node.fallback || typeof node.fallback !== 'object')
        problems.push('has no fallback element for clients without charts');
      return problems.length ? [{ path: pointer, type, message: problems.join('; ') }] : [];
    });
}

/** The card as a client without charts reads it: every chart replaced by its fallback element. */
function withFallbacksForCharts(card: Node): Node {
  return JSON.parse(JSON.stringify(card), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && isChart(value as Node)) {
      const fallback = (value as Node).fallback;
      return fallback && typeof fallback === 'object' ? fallback : value;
    }
    return value;
  }) as Node;
}

function validateWithoutCharts(c: Compiled, card: Node): CardSchemaError[] {
  if (c.root(card)) return [];
  const found: { pointer: string; node: Node }[] = [];
  elements(card, '', found);
  const failures: CardSchemaError[] = [];
  for (const { pointer, node } of found) {
    const type = String(node.type);
    if (!c.definitions.has(type)) {
      failures.push({ path: pointer || '/', type, message: `unknown element type "${type}"` });
      continue;
    }
    const v = c.element(type);
    if (v(node)) continue;
    const messages = [...new Set((v.errors ?? []).filter((e) => e.keyword !== 'anyOf').map(describe))];
    failures.push({ path: pointer || '/', type, message: messages.join('; ') || 'does not match' });
  }
  const innermost = failures.filter(
    (f) => !failures.some((g) => g !== f && g.path.startsWith(f.path === '/' ? '/' : `${f.path}/`)),
  );
  if (innermost.length) return innermost;
  return [
    {
      path: '/',
      type: 'AdaptiveCard',
      message: [...new Set((c.root.errors ?? []).map(describe))].join('; '),
    },
  ];
}

/**
 * Teams' people picker (`choices.data` of type Data.Query on an Input.ChoiceSet, dataset
 * graph.microsoft.com/users) is a documented Teams extension that the 1.5 schema does not list.
 * It is removed before validation only in exactly that shape; anything else still fails.
 */
function withoutTeamsPeoplePicker(card: Node): Node {
  return JSON.parse(JSON.stringify(card), (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as Node).type === 'Input.ChoiceSet') {
      const v = value as Node;
      const data = v['choices.data'] as Node | undefined;
      if (
        data &&
        data.type === 'Data.Query' &&
        data.dataset === 'graph.microsoft.com/users' &&
        Object.keys(data).length === 2
      ) {
        const rest = { ...v };
        delete rest['choices.data'];
        return rest;
      }
    }
    return value;
  }) as Node;
}
