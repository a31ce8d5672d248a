#include "pd/bootstrap_fields.h"

#include "rewrite/json_splice.h"

namespace shim::pd {

std::string WithBootstrapFields(std::string_view body, const JsonObjectScan& scan, const BootstrapTarget& target) {
  ObjectSplicer splicer(body, scan);
  for (size_t i = 0; i < scan.members.size(); ++i) {
    const std::string& key = scan.members[i].key;
    if (key == "kv_transfer_params" || key == "bootstrap_host" || key == "bootstrap_port" || key == "bootstrap_room") {
      splicer.Remove(i);
    }
  }
  splicer.Append(JsonMemberText("bootstrap_host", DumpJson(nlohmann::json(target.host))));
  splicer.Append(JsonMemberText("bootstrap_port", std::to_string(target.port)));
  splicer.Append(JsonMemberText("bootstrap_room", std::to_string(target.room)));
  return splicer.Build();
}

}  // namespace shim::pd
