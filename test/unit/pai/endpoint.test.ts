// The default PAI endpoint per region, as the official AIWorkSpace SDK resolves it; --pai-endpoint wins.
import { expect, it } from 'vitest';
import { paiEndpoint } from '../../../src/pai/endpoint.ts';

it.each([
  ['cn-hangzhou', undefined, 'aiworkspace.cn-hangzhou.aliyuncs.com'],
  ['cn-shanghai', undefined, 'aiworkspace.cn-shanghai.aliyuncs.com'],
  ['ap-southeast-1', undefined, 'aiworkspace.ap-southeast-1.aliyuncs.com'],
  // Regions the SDK's map sends to the central host.
  ['cn-qingdao', undefined, 'aiworkspace.aliyuncs.com'],
  ['cn-huhehaote', undefined, 'aiworkspace.aliyuncs.com'],
  ['eu-west-1', undefined, 'aiworkspace.aliyuncs.com'],
  ['me-east-1', undefined, 'aiworkspace.aliyuncs.com'],
  ['ap-southeast-2', undefined, 'aiworkspace.aliyuncs.com'],
  // The map's entry for cn-guangzhou ends in a TAB: we call the host without it.
  ['cn-guangzhou', undefined, 'aiworkspace.cn-guangzhou.aliyuncs.com'],
  ['ap-southeast-5', undefined, 'aiworkspace-vpc.ap-southeast-5.aliyuncs.com'],
  // A region the map does not know: the regional rule.
  ['xx-new-1', undefined, 'aiworkspace.xx-new-1.aliyuncs.com'],
  // --pai-endpoint always wins.
  ['cn-qingdao', '127.0.0.1:9091', '127.0.0.1:9091'],
  ['cn-hangzhou', 'aiworkspace-vpc.cn-hangzhou.aliyuncs.com', 'aiworkspace-vpc.cn-hangzhou.aliyuncs.com'],
] as const)('region %s, --pai-endpoint %s -> %s', (region, explicit, want) => {
  expect(paiEndpoint(region, explicit)).toBe(want);
});
