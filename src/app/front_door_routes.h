// The composition root of the front door's routes: vLLM's endpoints and gates,
// vLLM-named /metrics, and the request/response rewriting of the OpenAI routes.
#pragma once
#include <memory>

#include "common/prelude.h"
#include <boost/asio/io_context.hpp>

#include "config/settings.h"
#include "frontdoor/front_door.h"
#include "translate/translation.h"

namespace shim {

// Owns what the routes refer to (endpoint state, the metrics scraper); must
// outlive the front door's io_context run.
class FrontDoorRoutes {
 public:
  virtual ~FrontDoorRoutes() = default;
  // Starts the background metrics scrape (call with the front door's Start()).
  virtual void Start() = 0;
  // Stops background work (drain or stop).
  virtual void Stop() = 0;
};

std::unique_ptr<FrontDoorRoutes> InstallFrontDoorRoutes(boost::asio::io_context& io, FrontDoor& door,
                                                        const Settings& settings, const Translation& translation);

}  // namespace shim
