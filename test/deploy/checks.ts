/**
 * A tiny check runner for a script that is not a vitest suite: each check runs even when an earlier one
 * failed, and the last line is `N passed, M failed` for CI logs.
 */
export class Checks {
  private passed = 0;
  private failed = 0;

  async run(name: string, check: () => unknown): Promise<boolean> {
    try {
      await check();
      this.passed += 1;
      console.log(`  ✓ ${name}`);
      return true;
    } catch (error) {
      this.failed += 1;
      console.log(`  ✗ ${name}\n      ${describe(error).replaceAll('\n', '\n      ')}`);
      return false;
    }
  }

  /** Counts checks that could not run because what they need failed first. */
  skip(names: readonly string[], reason: string): void {
    for (const name of names) {
      this.failed += 1;
      console.log(`  ✗ ${name}\n      not run: ${reason}`);
    }
  }

  get ok(): boolean {
    return this.failed === 0;
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (cause: ${error.cause.message})` : error.message;
}
