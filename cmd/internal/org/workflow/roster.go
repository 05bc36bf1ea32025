package workflow

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/template/roster"
)

// Roster editing in the app: the office's 管理员 adds a unit, changes its
// fields (its name too: its reports and account stay with it) or takes it
// off the roster (its reports are kept). A unit's fields are checked by
// the rules of a roster file (roster.CheckUnit); every change is kept in
// the unit's history (store.RosterChanges) and the audit log.

func mayEditRoster(role store.Role) error {
	if role != store.RoleAdmin {
		return fmt.Errorf("%w: %s 不能修改应报单位名单", ErrRole, role)
	}
	return nil
}

// AddUnit adds a unit to the roster, or puts back one taken off it.
func AddUnit(ctx context.Context, s *store.Store, a store.Actor, role store.Role, fields map[string]string) (*store.Unit, error) {
	if err := mayEditRoster(role); err != nil {
		return nil, err
	}
	u, err := roster.CheckUnit(fields)
	if err != nil {
		return nil, err
	}
	return s.AddUnit(ctx, a, u.Fields)
}

// UpdateUnit changes a unit's fields.
func UpdateUnit(ctx context.Context, s *store.Store, a store.Actor, role store.Role, id int64, fields map[string]string) (*store.Unit, error) {
	if err := mayEditRoster(role); err != nil {
		return nil, err
	}
	u, err := roster.CheckUnit(fields)
	if err != nil {
		return nil, err
	}
	return s.UpdateUnit(ctx, a, id, u.Fields)
}

// RemoveUnit takes a unit off the roster.
func RemoveUnit(ctx context.Context, s *store.Store, a store.Actor, role store.Role, id int64) error {
	if err := mayEditRoster(role); err != nil {
		return err
	}
	return s.RemoveUnit(ctx, a, id)
}
