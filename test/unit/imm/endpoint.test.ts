import { expect, it } from 'vitest';
import { immEndpoint } from '../../../src/imm/endpoint.ts';

it.each([
  ['cn-hangzhou', undefined, undefined, 'imm.cn-hangzhou.aliyuncs.com'],
  ['ap-southeast-1', undefined, undefined, 'imm.ap-southeast-1.aliyuncs.com'],
  ['cn-beijing', undefined, 'vpc', 'imm-vpc.cn-beijing.aliyuncs.com'],
  ['cn-hangzhou', '127.0.0.1:9092', undefined, '127.0.0.1:9092'],
] as const)('region %s endpoint %s network %s -> %s', (region, endpoint, network, want) => {
  expect(immEndpoint(region, endpoint, network)).toBe(want);
});
