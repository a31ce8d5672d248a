// The address decode pods reach this pod on: named in the kv_transfer_params a prefill answers
// with, and where the bootstrap relay listens. Kubernetes gives it as POD_IP through the
// downward API when the pod spec asks for it; without it, the first address of an interface
// that is up and not loopback (a pod has one such interface, eth0).
#pragma once
#include <string>
#include <string_view>

namespace shim::pd {

// `configured` (VLLM_SGLANG_PD_HOST, else POD_IP) when set; else the interface address, IPv4
// before IPv6 (link-local IPv6 is never chosen); "" when there is none.
std::string PodAddress(std::string_view configured);

}  // namespace shim::pd
