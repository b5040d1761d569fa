package consoletest_test

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// writeOrders writes eight messages to three streams of two categories.
func writeOrders(t *testing.T, base, token string) {
	t.Helper()
	writes := []string{
		`["stream.write","order-1",{"type":"OrderPlaced","data":{"customer":"ada","lines":[{"sku":"tea-01","qty":2,"price":4.5}],"gift":false},"metadata":{"correlationStreamName":"checkout-7","causedBy":"web"}}]`,
		`["stream.write","order-1",{"type":"ItemAdded","data":{"sku":"mug-03","qty":1,"price":12}}]`,
		`["stream.write","order-1",{"type":"AddressChanged","data":{"street":"1 Analytical Way","city":"London","zip":"N1 9GU"}}]`,
		`["stream.write","order-1",{"type":"OrderConfirmed","data":{"total":21,"currency":"EUR"},"metadata":{"user":"ada"}}]`,
		`["stream.write","order-1",{"type":"OrderPaid","data":{"payment":"payment-9"}}]`,
		`["stream.write","order-2",{"type":"OrderPlaced","data":{"customer":"grace","lines":[]}}]`,
		`["stream.write","order-2",{"type":"OrderCancelled","data":{"reason":"changed mind"}}]`,
		`["stream.write","payment-9",{"type":"PaymentCaptured","data":{"amount":2100,"currency":"EUR"}}]`,
	}
	for _, w := range writes {
		rpc(t, base, token, w)
	}
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
