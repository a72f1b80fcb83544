/**
 * restify loads spdy (HTTP/2, which this bot never serves) at start-up, and spdy's http-deceiver
 * reads process.binding('http_parser'), so every start printed Node's DEP0111 warning twice. That
 * one warning is dropped here; every other warning still reaches stderr. Imported first by the entry
 * point, before restify is loaded.
 */
const emit = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const code =
    typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  const text = typeof warning === 'string' ? warning : warning.message;
  if (code === 'DEP0111' && text.includes("process.binding('http_parser')")) return;
  (emit as (...args: unknown[]) => void)(warning, ...rest);
};
