import { describe, expect, it } from 'vitest';
import { failedBuildMessage } from '../../../client/src/commands/buildMessages';

describe('the notification of a failed build', () => {
  it("shows the cause and the log's last lines", () => {
    const message = "builder for '/nix/store/abc-hello-1.0.drv' failed with exit code 2\n\nLast lines of the log:\nhello> compiling\nhello> main.c:3: error: expected ';'\nhello> make: *** [all] Error 1\n";
    expect(failedBuildMessage(message)).toBe(
      "Nix build failed: builder for '/nix/store/abc-hello-1.0.drv' failed with exit code 2 — log: hello> compiling ⏎ hello> main.c:3: error: expected ';' ⏎ hello> make: *** [all] Error 1",
    );
  });

  it('keeps to the cause when there is no log, and stays short', () => {
    expect(failedBuildMessage("undefined variable 'fetchurl' at default.nix:3:9")).toBe("Nix build failed: undefined variable 'fetchurl' at default.nix:3:9");
    const long = failedBuildMessage(`x\n\nLast lines of the log:\n${'y'.repeat(1000)}`);
    expect(long.length).toBe(400);
    expect(long.endsWith('…')).toBe(true);
  });
});
