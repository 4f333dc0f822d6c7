// Every check, in a stable order. A new check is one file in src/checks/<area>/ plus one line here.
import type { AnyCheck } from './define.js';
import expiredAcceptance from './config/expired-acceptance.js';
import headersPrivateResponseCaching from './edge/private-response-caching.js';
import headersMissingCacheValidators from './edge/missing-cache-validators.js';
import headersShortLivedStaticAsset from './edge/short-lived-static-asset.js';
import headersWeakContentSecurityPolicy from './edge/weak-content-security-policy.js';
import headersMissingSecurityHeaders from './edge/missing-security-headers.js';
import headersPermissiveCors from './edge/permissive-cors.js';
import headersInsecureCookie from './edge/insecure-cookie.js';
import headersExposedFile from './edge/exposed-file.js';
import headersMissingAuthRateLimit from './edge/missing-auth-rate-limit.js';
import headersOriginExposed from './edge/origin-exposed.js';
import headersHealthEndpoint from './edge/health-endpoint.js';
import headersErrorPageLeak from './edge/error-page-leak.js';
import headersBundleSecret from './edge/bundle-secret.js';
import edgeMissingSubresourceIntegrity from './edge/missing-subresource-integrity.js';
import edgeUnprotectedCrossOriginResource from './edge/unprotected-cross-origin-resource.js';
import edgeVersionBanner from './edge/version-banner.js';
import edgeExposedSourceMap from './edge/exposed-source-map.js';
import flowsBrokenFlowStep from './flows/broken-flow-step.js';
import aiAssistantLeak from './ai/assistant-leak.js';
import deployIndexableStaging from './deploy/indexable-staging.js';
import deployLowCoverage from './deploy/low-coverage.js';
import deploySharedStagingHost from './deploy/shared-staging-host.js';
import deployMissingDeployPipeline from './deploy/missing-deploy-pipeline.js';
import deployMissingRollbackPath from './deploy/missing-rollback-path.js';
import deployUnsafeMigration from './deploy/unsafe-migration.js';
import deployUntestedDeploy from './deploy/untested-deploy.js';
import apexCname from './dns/apex-cname.js';
import danglingCname from './dns/dangling-cname.js';
import subdomainTakeover from './dns/subdomain-takeover.js';
import lameDelegation from './dns/lame-delegation.js';
import missingCaa from './dns/missing-caa.js';
import singleNameserver from './dns/single-nameserver.js';
import soaSerialMismatch from './dns/soa-serial-mismatch.js';
import unexpectedRecord from './dns/unexpected-record.js';
import unresolvableHost from './dns/unresolvable-host.js';
import zoneTransferAllowed from './dns/zone-transfer-allowed.js';
import tlsHttpsUnavailable from './tls/https-unavailable.js';
import tlsCertExpiry from './tls/cert-expiry.js';
import tlsCertNameMismatch from './tls/cert-name-mismatch.js';
import tlsUntrustedChain from './tls/untrusted-chain.js';
import tlsWeakKey from './tls/weak-key.js';
import tlsWeakSignature from './tls/weak-signature.js';
import tlsLegacyTls from './tls/legacy-tls.js';
import tlsHstsPolicy from './tls/hsts-policy.js';
import tlsMixedContent from './tls/mixed-content.js';
import redirectsInsecureHttp from './redirects/insecure-http.js';
import redirectsRedirectLoop from './redirects/redirect-loop.js';
import redirectsHttpsDowngrade from './redirects/https-downgrade.js';
import redirectsNonCanonicalOrigin from './redirects/non-canonical-origin.js';
import redirectsDroppedPath from './redirects/dropped-path.js';
import redirectsOffDomainRedirect from './redirects/off-domain-redirect.js';
import emailSpfMissing from './email/spf-missing.js';
import emailSpfPermerror from './email/spf-permerror.js';
import emailSpfLookupLimit from './email/spf-lookup-limit.js';
import emailSpfAllPolicy from './email/spf-all-policy.js';
import emailSpfSendingIp from './email/spf-sending-ip.js';
import emailSpfPtr from './email/spf-ptr.js';
import emailSpfVoidLookup from './email/spf-void-lookup.js';
import emailDkimMissing from './email/dkim-missing.js';
import emailDkimKey from './email/dkim-key.js';
import emailDmarcMissing from './email/dmarc-missing.js';
import emailDmarcRecord from './email/dmarc-record.js';
import emailDmarcPolicy from './email/dmarc-policy.js';
import emailDmarcReporting from './email/dmarc-reporting.js';
import emailDmarcAlignment from './email/dmarc-alignment.js';
import emailMxRecord from './email/mx-record.js';
import emailMtaStsPolicy from './email/mta-sts-policy.js';
import emailTlsRptRecord from './email/tls-rpt-record.js';

import secretsExposedSecret from './secrets/exposed-secret.js';
import secretsCommittedEnvFile from './secrets/committed-env-file.js';
import secretsShallowHistory from './secrets/shallow-history.js';
import hygieneDevUrl from './hygiene/dev-url.js';
import hygieneMobileApiUrl from './hygiene/mobile-api-url.js';
import hygieneUndocumentedEnvVar from './hygiene/undocumented-env-var.js';
import hygienePublicEnvSecret from './hygiene/public-env-secret.js';
import databasePgStatStatementsMissing from './database/pg-stat-statements-missing.js';
import databaseDominantQuery from './database/dominant-query.js';
import databaseMissingIndex from './database/missing-index.js';
import databaseUnindexedForeignKey from './database/unindexed-foreign-key.js';
import databaseDuplicateIndex from './database/duplicate-index.js';
import databaseUnusedIndex from './database/unused-index.js';
import databaseConnectionLimit from './database/connection-limit.js';
import databaseIdleInTransaction from './database/idle-in-transaction.js';
import databaseLongRunningQuery from './database/long-running-query.js';
import databaseTableMaintenance from './database/table-maintenance.js';
import latencySlowEndpoint from './latency/slow-endpoint.js';
import latencyRequestErrors from './latency/request-errors.js';
import latencySlowMobileScreen from './latency/slow-mobile-screen.js';
import latencyUncachedRead from './latency/uncached-read.js';
import latencyPublicAuthCache from './latency/public-auth-cache.js';
import latencyUncompressedResponse from './latency/uncompressed-response.js';
import latencyLargePayload from './latency/large-payload.js';
import latencyConnectionReuse from './latency/connection-reuse.js';
import latencyHttp1Only from './latency/http1-only.js';
import latencyDuplicateWriteOnRetry from './latency/duplicate-write-on-retry.js';
import loadConcurrencyLimit from './load/concurrency-limit.js';
export const allChecks: readonly AnyCheck[] = [
  unresolvableHost,
  zoneTransferAllowed,
  apexCname,
  danglingCname,
  subdomainTakeover,
  unexpectedRecord,
  singleNameserver,
  lameDelegation,
  soaSerialMismatch,
  missingCaa,
  tlsHttpsUnavailable,
  tlsCertExpiry,
  tlsCertNameMismatch,
  tlsUntrustedChain,
  tlsWeakKey,
  tlsWeakSignature,
  tlsLegacyTls,
  tlsHstsPolicy,
  tlsMixedContent,
  redirectsInsecureHttp,
  redirectsRedirectLoop,
  redirectsHttpsDowngrade,
  redirectsNonCanonicalOrigin,
  redirectsDroppedPath,
  redirectsOffDomainRedirect,
  emailSpfMissing,
  emailSpfPermerror,
  emailSpfLookupLimit,
  emailSpfAllPolicy,
  emailSpfSendingIp,
  emailSpfPtr,
  emailSpfVoidLookup,
  emailDkimMissing,
  emailDkimKey,
  emailDmarcMissing,
  emailDmarcRecord,
  emailDmarcPolicy,
  emailDmarcReporting,
  emailDmarcAlignment,
  emailMxRecord,
  emailMtaStsPolicy,
  emailTlsRptRecord,
  secretsExposedSecret,
  secretsCommittedEnvFile,
  secretsShallowHistory,
  hygieneDevUrl,
  hygieneMobileApiUrl,
  hygieneUndocumentedEnvVar,
  hygienePublicEnvSecret,
  deployUnsafeMigration,
  deployUntestedDeploy,
  deployMissingDeployPipeline,
  deployMissingRollbackPath,
  deployLowCoverage,
  deployIndexableStaging,
  deploySharedStagingHost,
  databasePgStatStatementsMissing,
  databaseDominantQuery,
  databaseMissingIndex,
  databaseUnindexedForeignKey,
  databaseDuplicateIndex,
  databaseUnusedIndex,
  databaseConnectionLimit,
  databaseIdleInTransaction,
  databaseLongRunningQuery,
  databaseTableMaintenance,
  latencySlowEndpoint,
  latencyRequestErrors,
  latencySlowMobileScreen,
  latencyUncachedRead,
  latencyPublicAuthCache,
  latencyUncompressedResponse,
  latencyLargePayload,
  latencyConnectionReuse,
  latencyHttp1Only,
  latencyDuplicateWriteOnRetry,
  loadConcurrencyLimit,
  flowsBrokenFlowStep,
  aiAssistantLeak,
  headersPrivateResponseCaching,
  headersMissingCacheValidators,
  headersShortLivedStaticAsset,
  headersWeakContentSecurityPolicy,
  headersMissingSecurityHeaders,
  headersPermissiveCors,
  headersInsecureCookie,
  headersExposedFile,
  headersMissingAuthRateLimit,
  headersOriginExposed,
  headersHealthEndpoint,
  headersErrorPageLeak,
  headersBundleSecret,
  edgeMissingSubresourceIntegrity,
  edgeUnprotectedCrossOriginResource,
  edgeVersionBanner,
  edgeExposedSourceMap,
  expiredAcceptance,
];
