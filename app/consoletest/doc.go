// Package consoletest drives the web console (adapters/http/console) in a
// headless Chromium against a whole server started with app/apptest. It holds
// only tests; it lives under app because a test that starts the whole server
// may import the composition root, which an adapter may not.
package consoletest
