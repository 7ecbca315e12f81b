// Package stern holds the template oracle's rendering of stern's Log record (stern/tail_utils.go).
package stern

import "../color"

type Log struct {
	Message        string            `json:"message"`
	Timestamp      string            `json:"timestamp,omitempty"`
	NodeName       string            `json:"nodeName"`
	Namespace      string            `json:"namespace"`
	PodName        string            `json:"podName"`
	ContainerName  string            `json:"containerName"`
	Labels         map[string]string `json:"labels"`
	Annotations    map[string]string `json:"annotations"`
	PodColor       *color.Color      `json:"-"`
	ContainerColor *color.Color      `json:"-"`
}
