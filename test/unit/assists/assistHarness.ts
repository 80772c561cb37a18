// Runs refactorings on marked snippets: `|` is the cursor, `«…»` a selection.
import type { AssistContext, AssistResult, OffsetEdit } from '../../../server/src/features/assists/assist';
import { assistsAt } from '../../../server/src/features/assists/assists';
import { analyze } from '../analysis/nixSnippets';

export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

export async function contextFor(marked: string, extra: Partial<AssistContext> = {}): Promise<{ text: string; context: AssistContext }> {
  let text = marked;
  let start: number;
  let end: number;
  if (marked.includes('«')) {
    start = marked.indexOf('«');
    end = marked.indexOf('»') - 1;
    text = marked.replace('«', '').replace('»', '');
  } else {
    start = end = marked.indexOf('|');
    if (start < 0) throw new Error(`no cursor in ${marked}`);
    text = marked.replace('|', '');
  }
  return { text, context: { analysis: await analyze(text), start, end, canCreateFiles: true, ...extra } };
}

/** Every refactoring offered at the marker. */
export async function offered(marked: string): Promise<AssistResult[]> {
  const { context } = await contextFor(marked);
  return assistsAt(context, (e) => {
    throw e;
  });
}

/** The text after the refactoring titled like `title`; throws listing what was offered instead. */
export async function refactor(marked: string, title: RegExp, extra: Partial<AssistContext> = {}): Promise<string> {
  const { text, context } = await contextFor(marked, extra);
  const results = assistsAt(context, (e) => {
    throw e;
  });
  const chosen = results.find((r) => title.test(r.title));
  if (!chosen) throw new Error(`no ${title} among: ${results.map((r) => r.title).join(' | ') || 'nothing'}`);
  return applyEdits(text, chosen.edits);
}

/** Whether a refactoring titled like `title` is offered at the marker. */
export async function isOffered(marked: string, title: RegExp): Promise<boolean> {
  return (await offered(marked)).some((r) => title.test(r.title));
}
