// Package domain is the EventoDB core: the stream model (stream), consumer-group
// partitioning (partition), namespaces and tokens (namespace) and the services that
// use them through port interfaces (service). It imports only the standard library
// and the ports package, so other Go programs can embed it.
package domain
