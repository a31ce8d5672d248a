#include "fake_sglang/pd_rooms.h"

#include <algorithm>

namespace shim::fake_sglang {

void PdRooms::Prune(std::map<std::string, Room>::iterator it) {
  const Room& r = it->second;
  if (r.prefills == 0 && r.decodes == 0 && r.kv == 0) rooms_.erase(it);
}

void PdRooms::PrefillArrived(const std::string& room) { ++rooms_[room].prefills; }

bool PdRooms::DecodeConnected(const std::string& room) const {
  auto it = rooms_.find(room);
  return it != rooms_.end() && it->second.decodes > it->second.kv;
}

void PdRooms::KvSent(const std::string& room) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.prefills = std::max(0, it->second.prefills - 1);
  if (it->second.decodes > it->second.kv) ++it->second.kv;
  Prune(it);
}

void PdRooms::PrefillLeft(const std::string& room) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.prefills = std::max(0, it->second.prefills - 1);
  Prune(it);
}

void PdRooms::DecodeArrived(const std::string& room) { ++rooms_[room].decodes; }

bool PdRooms::KvWaiting(const std::string& room) const {
  auto it = rooms_.find(room);
  return it != rooms_.end() && it->second.kv > 0;
}

void PdRooms::DecodeLeft(const std::string& room, bool took_kv) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  Room& r = it->second;
  r.decodes = std::max(0, r.decodes - 1);
  if (took_kv) r.kv = std::max(0, r.kv - 1);
  r.kv = std::min(r.kv, r.decodes);
  Prune(it);
}

}  // namespace shim::fake_sglang
