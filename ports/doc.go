// Package ports declares the interfaces the domain services need from the outside
// world (storage, clock, id generation, notifications) and the small value types
// that cross them. Adapters implement them; the domain depends only on them.
package ports
