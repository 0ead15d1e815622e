// @rlm/providers/testing: the kit for testing providers and code above them: loopback servers
// speaking the OpenAI, Anthropic and Groq wire formats, and the provider conformance suite.
export {
  CONFORMANCE_CHECKS,
  type ConformanceOptions,
  type ConformanceReport,
  type ConformanceResult,
  type ConformanceSettings,
  runConformance,
} from './conformance.ts'
export { echoCredentials } from './echo-credentials.ts'
export {
  createAnthropicServer,
  createGroqServer,
  createLoopbackServer,
  createOpenAICompatibleServer,
  type LoopbackServer,
  type LoopbackServerOptions,
  type ReceivedRequest,
  type ServerReply,
  type StatusFault,
  type TransportFault,
} from './loopback-server.ts'
export {
  anthropicMessagesWire,
  groqChatWire,
  openAIChatWire,
  type ParsedWireRequest,
  type WireFormat,
} from './wire-formats.ts'
