/**
 * Module resolution hooks (see `use-build.ts`): every module that resolves into `src/` is loaded
 * from the compiled build instead, so the bench measures the JavaScript that users run.
 */
interface BuildHooksData {
  /** `file:` URL of the repository's `src/`, with a trailing slash. */
  readonly srcUrl: string;
  /** `file:` URL of the build of `src/`, with a trailing slash. */
  readonly buildUrl: string;
}

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

let data: BuildHooksData | null = null;

export function initialize(init: BuildHooksData): void {
  data = init;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  if (!data || !result.url.startsWith(data.srcUrl)) return result;
  const rest = result.url.slice(data.srcUrl.length).replace(/\.ts$/, '.js');
  return { url: data.buildUrl + rest, format: 'module', shortCircuit: true };
}
