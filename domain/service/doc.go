// Package service holds EventoDB's use cases — writing and reading streams and
// categories, managing namespaces, authenticating tokens — on top of the port
// interfaces only. It validates input and returns typed domain errors; it never
// logs and never knows about HTTP or SQL.
package service
