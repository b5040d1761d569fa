// Package httpapi holds what the HTTP adapters (rpc, sse, importer, console,
// and the request logging of observability) share, so that none of them
// imports another and the server package is hosting only:
//
//   - the wire's errors: the codes of PROTOCOL.md §5, Error and NewError,
//     ToError (typed domain errors to codes and statuses, the one place that
//     mapping lives), WriteError and the error envelope;
//   - authentication: the AuthMiddleware (bearer or ?token=, rate-limited per
//     token) and the principal it puts in the request context
//     (PrincipalFrom);
//   - the wire's encoders: TimeLayout, AppendTime, AppendJSONString;
//   - request plumbing: Route and Middleware with their fx groups (AsRoute,
//     AsMiddleware), the RequestInfo handlers fill in for logs and metrics,
//     the deadline helpers of streaming responses (KeepStreaming,
//     ExtendDeadlines), and the Listener other adapters ask the server's
//     address of;
//   - per-token admission limits (TokenLimiter, ExpensiveRequests).
//
// It knows no route, no method and no storage: adapters/http/server collects
// the routes and middleware and runs the listener.
package httpapi
