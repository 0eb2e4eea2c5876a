package gitlab

import "encoding/json"

// jsonUnmarshal is the one place response bodies are decoded.
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
