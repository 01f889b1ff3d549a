// AedesWebSocketTest's broker: aedes (MQTT 3.1.1) behind the ws package's WebSocket server, on a free loopback port
// and the path /mqtt, answering the subprotocol mqtt. Prints "listening PORT" once ready; ends when its standard
// input closes (the test's process ends), or on SIGTERM.
import { createServer } from 'node:http'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'

const aedes = await Aedes.createBroker()
const http = createServer()
const wss = new WebSocketServer({
  server: http,
  path: '/mqtt',
  handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false)
})
wss.on('connection', (socket, request) => {
  console.log('connection protocol=' + socket.protocol)
  aedes.handle(createWebSocketStream(socket), request)
})
const stop = () => { wss.close(); aedes.close(() => http.close(() => process.exit(0))) }
process.stdin.on('end', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
http.listen(0, '127.0.0.1', () => console.log('listening ' + http.address().port))
