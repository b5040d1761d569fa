package config

import "os"

// TestPostgresURL is the PostgreSQL URL tests of the PostgreSQL adapter run
// against (EVENTODB_TEST_PG_URL), or "" when they should be skipped. It keeps
// the process environment read in this package only.
func TestPostgresURL() string {
	return lookupEnv(os.Environ(), EnvTestPostgresURL)
}

// EnvTestScreenshotDir is where the web console's browser tests save their
// screenshots; a temporary directory, deleted after the tests, when unset.
const EnvTestScreenshotDir = EnvPrefix + "TEST_SCREENSHOT_DIR"

// TestScreenshotDir is the directory EnvTestScreenshotDir names, or "".
func TestScreenshotDir() string {
	return lookupEnv(os.Environ(), EnvTestScreenshotDir)
}
