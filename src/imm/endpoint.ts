// Where the IMM client connects: --imm-endpoint when given, else the regional endpoint the official SDK
// builds (endpoint rule "regional": imm.<region>.aliyuncs.com; the VPC network variant is imm-vpc.<region>).
export function immEndpoint(region: string, endpoint?: string, network?: 'public' | 'vpc'): string {
  if (endpoint) return endpoint;
  return network === 'vpc' ? `imm-vpc.${region}.aliyuncs.com` : `imm.${region}.aliyuncs.com`;
}
