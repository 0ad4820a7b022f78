// The default AIWorkSpace endpoint of a region, as the official SDK resolves it (aiworkspace-20210204
// client.ts: an explicit endpoint wins; else its per-region endpoint map; else the regional rule
// `aiworkspace.<region>.aliyuncs.com`). The map sends many regions to the central host instead of a
// regional one, so the regional rule alone would address hosts that do not serve them. Data transcribed from
// the SDK's map (what differs from the regional rule); --pai-endpoint still overrides it.

const CENTRAL = 'aiworkspace.aliyuncs.com';

/** Regions the SDK's map sends to the central host. */
const CENTRAL_REGIONS = new Set([
  'ap-northeast-2-pop',
  'ap-southeast-2',
  'cn-beijing-finance-1',
  'cn-beijing-finance-pop',
  'cn-beijing-gov-1',
  'cn-beijing-nu16-b01',
  'cn-edge-1',
  'cn-fujian',
  'cn-haidian-cm12-c01',
  'cn-hangzhou-bj-b01',
  'cn-hangzhou-finance',
  'cn-hangzhou-internal-prod-1',
  'cn-hangzhou-internal-test-1',
  'cn-hangzhou-internal-test-2',
  'cn-hangzhou-internal-test-3',
  'cn-hangzhou-test-306',
  'cn-hongkong-finance-pop',
  'cn-huhehaote',
  'cn-huhehaote-nebula-1',
  'cn-qingdao',
  'cn-qingdao-nebula',
  'cn-shanghai-et15-b01',
  'cn-shanghai-et2-b01',
  'cn-shanghai-inner',
  'cn-shanghai-internal-test-1',
  'cn-shenzhen-finance-1',
  'cn-shenzhen-inner',
  'cn-shenzhen-st4-d01',
  'cn-shenzhen-su18-b01',
  'cn-wuhan',
  'cn-yushanfang',
  'cn-zhangbei',
  'cn-zhangbei-na61-b01',
  'cn-zhangjiakou-na62-a01',
  'cn-zhengzhou-nebula-1',
  'eu-west-1',
  'eu-west-1-oxs',
  'me-east-1',
  'rus-west-1-pop',
]);

/** Regions whose host in the SDK's map is neither central nor the regional rule. */
const SPECIAL: Record<string, string> = {
  // The SDK's map names the VPC host here.
  'ap-southeast-5': 'aiworkspace-vpc.ap-southeast-5.aliyuncs.com',
};

/** host[:port] to call for a region; `explicit` (--pai-endpoint) wins. Whitespace is trimmed. */
export function paiEndpoint(region: string, explicit?: string): string {
  if (explicit && explicit.trim()) return explicit.trim();
  const r = region.trim();
  if (CENTRAL_REGIONS.has(r)) return CENTRAL;
  // (The SDK's cn-guangzhou entry carries a stray TAB; the regional rule gives the intended host.)
  return SPECIAL[r] ?? `aiworkspace.${r}.aliyuncs.com`;
}
