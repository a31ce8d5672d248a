// Who is in which bootstrap room on a prefill server. SGLang pairs the two legs of a PD
// request by bootstrap_room: the prefill leg waits in its bootstrap queue until the decode
// leg has reached the prefill's bootstrap server and pre-allocated, then prefills and hands
// the KV over (SGLang @8905cbd4 python/sglang/srt/disaggregation/prefill.py and
// common/conn.py). The stand-in keeps that as counts per room: the prefill handler waits for
// a decode, the bootstrap listener's long-poll waits for the KV. Counts, not flags, so a room
// two clients reuse at once never goes negative or leaks.
#pragma once
#include <map>
#include <string>

namespace shim::fake_sglang {

class PdRooms {
 public:
  // The prefill leg.
  void PrefillArrived(const std::string& room);
  bool DecodeConnected(const std::string& room) const;
  // Prefill done: the KV is handed to the waiting decode and the prefill leaves the room.
  void KvSent(const std::string& room);
  // Timed out, aborted or disconnected before any KV was sent.
  void PrefillLeft(const std::string& room);

  // The decode leg, as seen by the bootstrap listener.
  void DecodeArrived(const std::string& room);
  bool KvWaiting(const std::string& room) const;
  // The decode took the KV (took_kv) or gave up; a KV nobody collects is dropped with
  // the last decode, so an aborted request frees its room.
  void DecodeLeft(const std::string& room, bool took_kv);

  size_t rooms_in_use() const { return rooms_.size(); }

 private:
  struct Room {
    int prefills = 0;
    int decodes = 0;
    int kv = 0;
  };
  void Prune(std::map<std::string, Room>::iterator it);

  std::map<std::string, Room> rooms_;
};

}  // namespace shim::fake_sglang
