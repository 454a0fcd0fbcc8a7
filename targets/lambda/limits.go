package lambda

import (
	"encoding/json"
	"net/http"
	"time"
)

// MaxHeaderBytes is the router's http.Server.MaxHeaderBytes: a request
// whose request line and headers are larger is answered 431 Request Header
// Fields Too Large by net/http, before it reaches the router. AWS publishes
// no header limit for Function URLs; 10,240 bytes is API Gateway HTTP API's
// "Total combined size of request line and header values" (Quotas for
// configuring and running an HTTP API in API Gateway,
// docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html),
// the front door that sends the same payload format 2.0 event. net/http
// allows 4,096 bytes more than MaxHeaderBytes before it refuses, so the
// effective limit is 14,336 bytes.
const MaxHeaderBytes = 10240

// maxResponseBytes is Lambda's limit on a function's response payload:
// 6 MiB and 100 bytes, the RIE's interop.MaxPayloadSize, and the figure of
// Lambda's own Function.ResponseSizeTooLarge message, "Response payload
// size exceeded maximum allowed payload size (6291556 bytes)."
const maxResponseBytes = MaxPayloadBytes + 100

// smallBody bounds the bodies whose event surely fits in MaxPayloadBytes:
// JSON escaping makes at most 6 bytes of one (\u00XX), base64 4 of 3, and
// the rest of the event is the request line and headers, which appear
// less than 16 times over, escaped, within net/http's MaxHeaderBytes+4096,
// and less than 4 KiB of field names and request context.
const smallBody = (MaxPayloadBytes - 16*6*(MaxHeaderBytes+4096) - 4096) / 6

// placeholderID has the length of the ids of requestIDs.
const placeholderID = "00000000-0000-0000-0000-000000000000"

// eventTooLarge reports whether the Function URL event of req, with body
// as its body, is larger than Lambda's invocation payload limit, which
// applies to the event, not to the body: a binary body is base64-encoded
// in it, a text one JSON-escaped. Lambda answers such a request 413
// RequestEntityTooLarge, without invoking the function. It marshals the
// event only for bodies larger than smallBody.
func eventTooLarge(req *http.Request, body []byte) bool {
	if len(body) <= smallBody {
		return false
	}
	payload, err := json.Marshal(newEvent(req, body, placeholderID, time.Now()))
	return err == nil && len(payload) > MaxPayloadBytes
}
