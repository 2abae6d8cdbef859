/**
 * `sabre gen --emit js`: generated views as `.js` + `.d.ts`, for projects that run JavaScript with no
 * TypeScript loader. The views are written as TypeScript first (one generator, one source of truth),
 * then TypeScript's own single-file transforms strip the types and write the declarations; the
 * generated code has explicit types everywhere (isolatedDeclarations), so no program is needed.
 * `typescript` is an optional peer: only this option loads it.
 */
type TypeScript = typeof import('typescript');

let typescript: Promise<TypeScript> | undefined;

async function loadTypeScript(): Promise<TypeScript> {
  try {
    return ((await import('typescript')) as { default: TypeScript }).default;
  } catch (err) {
    typescript = undefined;
    throw new Error('✖ --emit js uses the typescript package to strip types and write declarations: npm install --save-dev typescript', { cause: err });
  }
}

/** The JavaScript module and its declarations for one generated TypeScript file. */
export async function toJavaScript(text: string, fileName: string): Promise<{ js: string; dts: string }> {
  const ts = await (typescript ??= loadTypeScript());
  const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, declaration: true, isolatedDeclarations: true, strict: true };
  const js = ts.transpileModule(text, { compilerOptions, fileName }).outputText;
  const declared = ts.transpileDeclaration(text, { compilerOptions, fileName, reportDiagnostics: true });
  const problem = declared.diagnostics?.[0];
  if (problem !== undefined) {
    // The generator's output must always declare cleanly; this is a bug in sabre, not in the schema.
    throw new Error(`✖ sabre could not write declarations for ${fileName}: ${ts.flattenDiagnosticMessageText(problem.messageText, '\n')} (please report this)`);
  }
  // The declaration transform drops the file's leading comment: keep the "generated, do not edit" header.
  const header = text.split('\n').slice(0, 2).join('\n');
  return { js, dts: `${header}\n${declared.outputText}` };
}
