// The server's own types: the page reads exactly what src/dashboard/ builds.
export type {
  ConfigView,
  DashboardSnapshot,
  KeyView,
  ModelView,
  OverviewView,
  ProviderView,
  RequestView,
  RoutingView,
} from '../../src/dashboard/types.js'
export type { TimelineBucket } from '../../src/state/store/types.js'
