// One line per project (engine) once the run ends, which scripts/test adds up:
//   e2e in firefox: 6 passed, 0 failed, 0 skipped
// A test that failed, timed out or whose worker broke counts as failed; one never run
// (the run was stopped) as skipped.
export default class CountsReporter {
  onBegin(_config, suite) {
    this.suite = suite;
  }

  onEnd() {
    for (const project of this.suite.suites) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const test of project.allTests()) {
        const outcome = test.outcome();
        if (outcome === 'expected' || outcome === 'flaky') counts.passed += 1;
        else if (outcome === 'skipped') counts.skipped += 1;
        else counts.failed += 1;
      }
      console.log(`e2e in ${project.title}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    }
  }

  printsToStdio() {
    return false;
  }
}
