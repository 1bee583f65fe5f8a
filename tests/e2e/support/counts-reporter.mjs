// One line per project (engine) once the run ends, which scripts/test adds up:
//   e2e in firefox: 6 passed, 0 failed, 0 skipped
// A test that failed, timed out or whose worker broke counts as failed; one never run
// (the run was stopped) as skipped; one that passed only when run again (the WebKit
// project allows that once) is named at the end of the line.
export default class CountsReporter {
  onBegin(_config, suite) {
    this.suite = suite;
  }

  onEnd() {
    for (const project of this.suite.suites) {
      const counts = { passed: 0, failed: 0, skipped: 0, retried: 0 };
      for (const test of project.allTests()) {
        const outcome = test.outcome();
        if (outcome === 'expected' || outcome === 'flaky') counts.passed += 1;
        else if (outcome === 'skipped') counts.skipped += 1;
        else counts.failed += 1;
        if (outcome === 'flaky') counts.retried += 1;
      }
      const retried = counts.retried ? `, ${counts.retried} passed on a second try` : '';
      console.log(`e2e in ${project.title}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${retried}`);
    }
  }

  printsToStdio() {
    return false;
  }
}
