import FleetKit

await FleetCommand.start()
