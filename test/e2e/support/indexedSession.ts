// A VS Code session on an end-to-end workspace whose indexes come from ../shared/data, served over
// local HTTP as a channel would serve them: the data server and the editor, started together.
import { join } from 'node:path';
import { inject } from 'vitest';
import { startLocalServer, type LocalServer } from '../../unit/knowledge/localHttpServer';
import type { E2eWorkspace } from './e2eWorkspace';
import { startEditorSession, type EditorSession } from './editorSession';
import { sharedData } from './requirements';

/** Each index setting and the shared data file it is served from. */
const SOURCES = {
  'nixNur.nixpkgs.packages': ['/nixpkgs/packages.json.br', join('nixpkgs', 'packages.json.br')],
  'nixNur.nixos.options': ['/nixos/options.json.br', join('nixpkgs', 'options.json.br')],
  'nixNur.homeManager.options': ['/home-manager/options.json.br', join('home-manager', 'options.json.br')],
  'nixNur.nur.repos': ['/nur/repos.json', join('nur', 'repos.json')],
  'nixNur.nur.packages': ['/nur/packages.json', join('nur', 'packages.json')],
} as const;

export type IndexSetting = keyof typeof SOURCES;

/** Opens `workspace` with the given indexes served from the shared data; the others are off. */
export async function startIndexedSession(workspace: E2eWorkspace, chromium: string, indexes: readonly IndexSetting[]): Promise<{ data: LocalServer; session: EditorSession }> {
  const data = await startLocalServer(Object.fromEntries(indexes.map((setting) => [SOURCES[setting][0], { type: 'file' as const, path: join(sharedData, SOURCES[setting][1]) }])));
  const settings = Object.fromEntries((Object.keys(SOURCES) as IndexSetting[]).map((setting) => [setting, indexes.includes(setting) ? data.url(SOURCES[setting][0]) : '']));
  try {
    const session = await startEditorSession({
      codeServerCache: inject('codeServerCache'),
      vsix: inject('vsix'),
      stateDir: join(workspace.root, 'editor'),
      folder: workspace.folder,
      env: workspace.env,
      chromium,
      settings,
    });
    return { data, session };
  } catch (error) {
    await data.close();
    throw error;
  }
}
