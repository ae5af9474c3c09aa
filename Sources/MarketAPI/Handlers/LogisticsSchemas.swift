import Foundation
import Logistics
import Orders

extension PostOffice {
    var schema: Components.Schemas.PostOffice {
        .init(
            id: id.text, code: code, name: name, provinceCode: provinceCode, communeCode: communeCode,
            addressLine: addressLine, lat: location.lat, lon: location.lon, phone: phone, isActive: isActive,
            isSortingHub: isSortingHub, communes: communes, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension Courier {
    var schema: Components.Schemas.Courier {
        .init(
            id: id.text, postOfficeId: postOfficeID.text, displayName: displayName, email: email, phone: phone,
            maxStops: maxStops, maxGrams: maxGrams, isActive: isActive, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension Schedule {
    var schema: Components.Schemas.Schedule {
        let next = rollsTo
        return .init(
            id: id.text, postOfficeId: postOfficeID.text, serviceOn: serviceOn, shift: .init(shift),
            kind: kind == .pickup ? .pickup : .delivery, plannedAt: plannedAt, revision: revision,
            routes: routes.map { route in
                .init(
                    courierId: route.courierID.text, courierName: route.courierName, routeMeters: route.meters,
                    grams: route.grams,
                    stops: route.stops.map { stop in
                        .init(
                            id: stop.id.text, sequence: stop.sequence, supplierId: stop.supplierID?.text,
                            name: stop.name, communeCode: stop.communeCode, lat: stop.location.lat,
                            lon: stop.location.lon, grams: stop.grams, trackingNumbers: stop.trackingNumbers,
                            started: stop.started)
                    })
            },
            overflow: overflow.map {
                .init(packageId: $0.packageID.text, trackingNo: $0.trackingNo, stopName: $0.stopName, grams: $0.grams)
            },
            overflowRollsTo: .init(serviceOn: next.serviceOn, shift: .init(next.shift)))
    }
}

extension Components.Schemas.Shift {
    init(_ shift: Logistics.Shift) {
        self = shift == .morning ? .morning : .afternoon
    }
}

extension Manifest {
    var schema: Components.Schemas.Manifest {
        .init(
            courierId: courier.id.text, courierName: courier.name, postOfficeCode: postOffice.code,
            postOfficeName: postOffice.name, serviceOn: date, generatedAt: generatedAt,
            runs: runs.map { run in
                .init(
                    kind: run.kind == .pickup ? .pickup : .delivery, shift: .init(run.shift),
                    routeMeters: run.routeMeters, parcelCount: run.parcelCount, totalGrams: run.totalGrams,
                    codToCollectVnd: run.codToCollectVND,
                    stops: run.stops.map { stop in
                        .init(
                            sequence: stop.sequence, name: stop.name, phone: stop.phone, addressLine: stop.addressLine,
                            communeName: stop.communeName, provinceName: stop.provinceName, status: stop.status,
                            parcels: stop.parcels.map {
                                .init(
                                    trackingNo: $0.trackingNo, packageNumber: $0.packageNumber,
                                    weightGrams: $0.weightGrams, chargeableWeightGrams: $0.chargeableWeightGrams,
                                    declaredValueVnd: $0.declaredValueVND, codVnd: $0.codVND, status: $0.status,
                                    complaintNumber: $0.complaintNumber)
                            })
                    })
            }, parcelCount: parcelCount, totalGrams: totalGrams, codToCollectVnd: codToCollectVND)
    }
}

extension ScanResult {
    var schema: Components.Schemas.ScanResult {
        .init(
            eventId: eventID.text, clientEventId: clientEventID.text,
            _type: .init(rawValue: type.rawValue) ?? .pickedUp, occurredAt: occurredAt, receivedAt: receivedAt,
            applied: applied,
            outcome: outcome == .applied ? .applied : outcome == .waiting ? .waiting : .replayed,
            trackingNo: trackingNo, status: .init(rawValue: status.rawValue) ?? .readyForPickup,
            deliveryAttempts: attempts)
    }
}

extension Tracking {
    var schema: Components.Schemas.Tracking {
        .init(
            trackingNo: trackingNo, status: .init(rawValue: status.rawValue) ?? .readyForPickup,
            originProvince: originProvince, destinationProvince: destinationProvince,
            deliveryAttempts: deliveryAttempts,
            timeline: timeline.map { .init(_type: $0.type, occurredAt: $0.occurredAt, place: $0.place) })
    }
}
