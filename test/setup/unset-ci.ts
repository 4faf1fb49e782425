// CI=true (as CI sets it) makes Ink render only its last frame, so screen tests would never see a
// live one. This runs before any test module is imported (a `delete` inside a test file comes too
// late: its imports are hoisted and Ink reads CI when it loads). Child processes that need CI set
// it themselves.
delete process.env.CI;
