// Driving VS Code's workbench in the browser the way a person does: the command palette, Quick
// Open, Go to Line, quick picks, the suggest widget, hovers, notifications. Every step waits for
// something concrete on screen; the only fixed pauses are short settles before screenshots.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface ScreenshotOptions {
  /** Also copy to this file (under docs/screenshots) when NIX_NUR_UPDATE_SCREENSHOTS=1. */
  docs?: string;
  /** Crop to the box around these elements instead of the whole window. */
  around?: Locator[];
}

export class Workbench {
  private shots = 0;

  constructor(
    readonly page: Page,
    private readonly artifactsDir: string,
    private readonly docsDir: string,
  ) {
    mkdirSync(artifactsDir, { recursive: true });
  }

  async waitUntilLoaded(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 90_000 });
  }

  /** A status bar entry whose text matches. */
  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: text });
  }

  // ── quick input ────────────────────────────────────────────────────────────────────────────

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  quickInputRow(text: string | RegExp): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row').filter({ hasText: text });
  }

  /** Waits for the quick input (with `title`, when given) and its input box to be on screen. */
  async waitForQuickInput(title?: string | RegExp): Promise<void> {
    await this.quickInput.waitFor({ state: 'visible' });
    if (title) await this.quickInput.locator('.quick-input-title, .quick-input-header').filter({ hasText: title }).first().waitFor({ state: 'visible' });
    await this.quickInput.locator('input.input').waitFor({ state: 'visible' });
  }

  /** Types into the open quick input, waits for the row, and accepts it. */
  async pick(text: string, row: string | RegExp = text): Promise<void> {
    await this.page.keyboard.type(text);
    await this.quickInputRow(row).first().waitFor({ state: 'visible' });
    // The list filters as the text arrives; accept only once the wanted row is the focused one.
    await this.quickInput.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: row }).waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
  }

  async runCommand(title: string): Promise<void> {
    await this.closeWidgets();
    await this.page.keyboard.press('F1');
    await this.waitForQuickInput();
    await this.pick(title, new RegExp(`^${escapeRegExp(title)}`));
    // What the command shows next (its own quick input, a notification, an edit) is for the
    // caller to wait on.
  }

  /** Opens a workspace file with Quick Open and waits until its text is on screen. */
  async openFile(relativePath: string, expectText: string): Promise<void> {
    await this.closeWidgets();
    await this.page.keyboard.press('Control+P');
    await this.waitForQuickInput();
    const name = relativePath.split('/').pop()!;
    await this.page.keyboard.type(relativePath);
    const where = relativePath.includes('/') ? relativePath.split('/').slice(0, -1).join('/') : name;
    await this.quickInputRow(name).filter({ hasText: where }).first().waitFor({ state: 'visible' });
    // As in pick(): the list filters as the text arrives (a file opened earlier, outside the
    // workspace, can be the first row until it does), so accept only once the file is focused.
    await this.quickInput.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: name }).filter({ hasText: where }).waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor({ state: 'visible' });
    // Read without inlay hints: a hint can stand inside the expected text (`enable: boolean = true;`).
    await expect.poll(async () => (await this.renderedLines()).some((line) => line.includes(expectText)), { timeout: 30_000 }).toBe(true);
  }

  // ── the editor ─────────────────────────────────────────────────────────────────────────────

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  get editorLines(): Locator {
    return this.activeEditor.locator('.view-lines .view-line');
  }

  /** Moves the cursor with Go to Line (1-based line and column). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.closeWidgets();
    await this.page.keyboard.press('Control+G');
    await this.waitForQuickInput();
    await this.page.keyboard.type(`${line}:${column}`);
    await this.quickInput.locator('.quick-input-list .monaco-list-row, .quick-input-message').filter({ hasText: `${line}` }).first().waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    await this.activeEditor.locator('textarea, .native-edit-context').first().waitFor({ state: 'attached' });
  }

  /**
   * The text of the editor's rendered lines, trimmed (Monaco draws spaces as no-break spaces):
   * the file's text, without inlay hints (text Monaco injects into a line, in spans of generated
   * `dyn-rule-…` classes).
   */
  async renderedLines(): Promise<string[]> {
    const lines = await this.editorLines.evaluateAll((elements) =>
      elements.map((line) =>
        [...(line as unknown as { querySelectorAll(s: string): Iterable<{ className: string; textContent: string | null }> }).querySelectorAll('span > span')]
          .filter((span) => !/\bdyn-rule-/.test(span.className))
          .map((span) => span.textContent ?? '')
          .join(''),
      ),
    );
    return lines.map((text) => text.replace(/\u00a0/g, ' ').trim());
  }

  /** The rendered lines as they appear, inlay hints included. */
  async renderedLinesWithHints(): Promise<string[]> {
    return (await this.editorLines.allTextContents()).map((text) => text.replace(/\u00a0/g, ' ').trim());
  }

  /**
   * Opens a new line below `line` (1-based) and types `text` there. If the text did not arrive as
   * typed (a suggestion accepted by a keystroke, say), the file is reverted and it is typed again.
   */
  async typeOnNewLineAfter(line: number, text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.goTo(line);
      await this.page.keyboard.press('End');
      await this.page.keyboard.press('Enter');
      await this.page.keyboard.type(text, { delay: 20 });
      try {
        await expect.poll(() => this.renderedLines(), { timeout: 5_000 }).toContain(text);
        return;
      } catch (error) {
        if (attempt === 2) throw error;
        await this.page.keyboard.press('Escape');
        await this.revertFile();
      }
    }
  }

  /** Throws away unsaved edits of the active editor. */
  async revertFile(): Promise<void> {
    await this.runCommand('File: Revert File');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  }

  get suggestWidget(): Locator {
    return this.page.locator('.editor-widget.suggest-widget.visible');
  }

  suggestion(label: string): Locator {
    return this.suggestWidget.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  /**
   * Waits for `label` among the suggestions. When they do not open by themselves, or answered
   * before the last keystroke reached the server, asks again (Ctrl+Space) until the deadline.
   */
  async waitForSuggestion(label: string, timeout = 30_000): Promise<Locator> {
    const row = this.suggestion(label).first();
    const deadline = Date.now() + timeout;
    for (let attempt = 0; ; attempt++) {
      try {
        await row.waitFor({ state: 'visible', timeout: attempt === 0 ? 5_000 : Math.max(1_000, (deadline - Date.now()) / 2) });
        return row;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+Space');
      }
    }
  }

  get hover(): Locator {
    return this.page.locator('.monaco-hover:not(.hidden)').filter({ has: this.page.locator('.hover-contents, .hover-row') });
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I), as the keyboard does. */
  async showHoverAt(line: number, column: number): Promise<Locator> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    await this.hover.first().waitFor({ state: 'visible' });
    return this.hover.first();
  }

  /** One code lens (a line's lenses share a decoration, each its own link or span). */
  codeLens(text: string | RegExp): Locator {
    return this.activeEditor.locator('.codelens-decoration').locator('a, span').filter({ hasText: text });
  }

  // ── notifications, panels ──────────────────────────────────────────────────────────────────

  toast(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  problem(text: string | RegExp): Locator {
    return this.page.locator('.markers-panel .monaco-list-row').filter({ hasText: text });
  }

  /** Types the path of an empty folder into the simple file dialog (a quick input) and accepts it. */
  async chooseEmptyFolder(path: string): Promise<void> {
    const box = this.quickInput.locator('input.input');
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
    const value = path.endsWith('/') ? path : `${path}/`;
    // The dialog fills in its starting folder and lists it asynchronously; a path typed before
    // that is overwritten.
    await rows.first().waitFor({ state: 'visible' });
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).not.toBe('');
    for (let attempt = 1; ; attempt++) {
      // All at once, like a paste: typed key by key, the dialog's completion of each folder name
      // races the keystrokes.
      await box.fill(value);
      try {
        // The dialog moves into the typed folder before it accepts it: then it lists only '..'.
        await expect.poll(async () => (await rows.allInnerTexts()).map((text) => text.trim()), { timeout: 20_000 }).toEqual(['..']);
        await expect.poll(() => box.inputValue(), { timeout: 2_000 }).toBe(value);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await this.page.keyboard.press('Enter');
  }

  async closeWidgets(): Promise<void> {
    await this.page.keyboard.press('Escape');
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  // ── evidence ───────────────────────────────────────────────────────────────────────────────

  /** Saves a screenshot under the run's artifacts; returns its path. */
  async screenshot(name: string, options: ScreenshotOptions = {}): Promise<string> {
    // Let animations (widgets fading in) finish.
    await this.page.waitForTimeout(300);
    const file = join(this.artifactsDir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    const clip = options.around ? await this.unionBox(options.around) : undefined;
    await this.page.screenshot({ path: file, ...(clip ? { clip } : {}) });
    if (options.docs && process.env.NIX_NUR_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(this.docsDir, { recursive: true });
      copyFileSync(file, join(this.docsDir, options.docs));
    }
    return file;
  }

  private async unionBox(locators: Locator[]): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
    const boxes = (await Promise.all(locators.map((locator) => locator.first().boundingBox()))).filter((box) => box !== null);
    if (boxes.length === 0) return undefined;
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 800 };
    const x = Math.max(0, Math.min(...boxes.map((b) => b.x)));
    const y = Math.max(0, Math.min(...boxes.map((b) => b.y)));
    const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)));
    const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)));
    return { x, y, width: right - x, height: bottom - y };
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
